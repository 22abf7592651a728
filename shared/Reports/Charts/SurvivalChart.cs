using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using ScottPlot;
using SkiaSharp;

namespace PvpServerless.Reports.Charts;

/// <summary>
/// Kaplan–Meier step curve with its 95 % band, censoring marks and the numbers at risk under the time axis
/// (the last two only when the censoring days are known).
/// </summary>
internal static class SurvivalChart
{
    private const double DaysPerMonth = 365.25 / 12;

    /// <summary>
    /// Beyond this many distinct censoring days the ticks merge into a thick smear over the curve (a live cohort of
    /// thousands); the numbers at risk then carry the censoring alone.
    /// </summary>
    public const int MaxCensorMarks = 80;

    /// <summary>Whether the chart marks each censoring day with a tick.</summary>
    public static bool ShowsCensorMarks(IReadOnlyList<int>? censoredDays) =>
        censoredDays is { Count: > 0 } && censoredDays.Distinct().Count() <= MaxCensorMarks;

    public static GraphicBlock Block(KaplanMeier km, IReadOnlyList<int>? censoredDays, TextMeasurer m, float height) =>
        new(height, (canvas, rect) => Draw(canvas, rect, km, censoredDays, m));

    /// <summary>
    /// Last day the curve is drawn to: the last observation when known, else what the estimates cover.
    /// </summary>
    public static int EndDay(KaplanMeier km, IReadOnlyList<int>? censoredDays)
    {
        var lastEvent = km.Steps.Count > 0 ? km.Steps[^1].Day : 0;
        if (censoredDays is { Count: > 0 })
            return Math.Max(lastEvent, censoredDays.Max());
        return Math.Max(
            lastEvent,
            km.At1y is not null ? 365
                : km.At3m is not null ? 91
                : 0
        );
    }

    /// <summary>Patients still observed at day t: censored at or after t plus deaths at or after t.</summary>
    public static int AtRisk(KaplanMeier km, IReadOnlyList<int> censoredDays, int day) =>
        censoredDays.Count(d => d >= day) + km.Steps.Where(s => s.Day >= day).Sum(s => s.Events);

    private static void Draw(
        SKCanvas canvas,
        SKRect rect,
        KaplanMeier km,
        IReadOnlyList<int>? censoredDays,
        TextMeasurer m
    )
    {
        var atRiskRows = censoredDays is null ? 0f : 30f;
        var padding = new PixelPadding(left: 52, right: 14, bottom: 34, top: 8);
        var plot = ChartKit.NewPlot(padding);
        var end = Math.Max(EndDay(km, censoredDays), 30);

        // Step coordinates: survival holds until an event day, then drops.
        var xs = new List<double> { 0 };
        var ys = new List<double> { 1 };
        var lows = new List<double> { 1 };
        var highs = new List<double> { 1 };
        foreach (var step in km.Steps)
        {
            xs.Add(step.Day);
            ys.Add(ys[^1]);
            lows.Add(lows[^1]);
            highs.Add(highs[^1]);
            xs.Add(step.Day);
            ys.Add(step.Survival);
            lows.Add(step.Lower ?? step.Survival);
            highs.Add(step.Upper ?? step.Survival);
        }
        xs.Add(end);
        ys.Add(ys[^1]);
        lows.Add(lows[^1]);
        highs.Add(highs[^1]);

        var band = plot.Add.FillY(xs.ToArray(), lows.ToArray(), highs.ToArray());
        band.FillColor = ChartKit.Navy.WithAlpha(0.16);
        band.LineWidth = 0;
        var curve = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), ChartKit.Navy);
        curve.LineWidth = 1.8f;
        if (censoredDays is not null && ShowsCensorMarks(censoredDays))
        {
            var marks = censoredDays.Distinct().Select(d => (double)d).ToArray();
            var at = marks.Select(d => SurvivalAt(km, (int)d)).ToArray();
            plot.Add.Markers(marks, at, MarkerShape.VerticalBar, 7, ChartKit.Navy);
        }

        var maxMonth = (int)Math.Ceiling(end / DaysPerMonth);
        var stepMonths =
            maxMonth <= 15 ? 3
            : maxMonth <= 36 ? 6
            : 12;
        var months = Enumerable.Range(0, maxMonth / stepMonths + 1).Select(i => i * stepMonths).ToList();
        plot.Axes.SetLimits(0, Math.Max(end, months[^1] * DaysPerMonth) * 1.02, 0, 1.04);
        plot.Axes.Bottom.TickGenerator = ChartKit.Ticks(months.Select(mo => (mo * DaysPerMonth, mo.ToString())));
        plot.Axes.Left.TickGenerator = ChartKit.Ticks(Enumerable.Range(0, 6).Select(i => (i * 0.2, $"{i * 20}%")));
        plot.Axes.Bottom.Label.Text = "Months since vertebroplasty";
        plot.Axes.Left.Label.Text = "Survival";
        var chartRect = SKRect.Create(rect.Left, rect.Top, rect.Width, rect.Height - atRiskRows);
        ChartKit.Render(plot, canvas, chartRect);

        if (censoredDays is null)
            return;
        // Numbers at risk, aligned with the ticks through the fixed data area.
        var dataLeft = chartRect.Left + padding.Left;
        var dataWidth = chartRect.Width - padding.Left - padding.Right;
        var xMax = Math.Max(end, months[^1] * DaysPerMonth) * 1.02;
        var top = chartRect.Bottom + 2;
        m.Draw(canvas, "At risk", Styles.Small.WithBold(), rect.Left, top);
        foreach (var mo in months)
        {
            var day = (int)Math.Round(mo * DaysPerMonth);
            var x = dataLeft + (float)(mo * DaysPerMonth / xMax) * dataWidth;
            m.Draw(canvas, AtRisk(km, censoredDays, day).ToString(), Styles.Small, x, top, SKTextAlign.Center);
        }
    }

    private static double SurvivalAt(KaplanMeier km, int day) =>
        km.Steps.LastOrDefault(s => s.Day <= day) is { } step ? step.Survival : 1.0;
}
