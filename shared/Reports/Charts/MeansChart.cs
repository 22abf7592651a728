using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using ScottPlot;
using SkiaSharp;

namespace PvpServerless.Reports.Charts;

/// <summary>
/// Mean with 95 % CI at baseline and follow-up, one line per paired comparison (3-month pairs, 1-year pairs): the
/// paper's two baselines are different patients, so each comparison keeps its own baseline.
/// </summary>
internal static class MeansChart
{
    private const float LegendHeight = 16;

    public static bool HasData(IReadOnlyList<Comparison> comparisons, string outcome) =>
        comparisons.Any(c => c.Outcome == outcome && c.Baseline.Mean is not null && c.FollowUp.Mean is not null);

    public static GraphicBlock Block(
        IReadOnlyList<Comparison> comparisons,
        string outcome,
        string yLabel,
        TextMeasurer m,
        float height
    ) =>
        new(
            height,
            (canvas, rect) =>
                Draw(canvas, rect, comparisons.Where(c => c.Outcome == outcome).ToList(), outcome, yLabel, m)
        );

    private static void Draw(
        SKCanvas canvas,
        SKRect rect,
        IReadOnlyList<Comparison> rows,
        string outcome,
        string yLabel,
        TextMeasurer m
    )
    {
        var padding = new PixelPadding(left: 52, right: 12, bottom: 34, top: 8);
        var plot = ChartKit.NewPlot(padding);
        var legend = new List<(string, Color, bool)>();
        var colors = new[] { ChartKit.Navy, ChartKit.Orange, ChartKit.Teal };
        var decimals = ReportFormat.Decimals(outcome);
        double low = double.MaxValue,
            high = double.MinValue;
        for (var i = 0; i < rows.Count; i++)
        {
            var c = rows[i];
            var month = c.To == "3m" ? 3.0 : 12.0;
            var offset = (i - (rows.Count - 1) / 2.0) * 0.35;
            var xs = new[] { 0 + offset, month + offset };
            var means = new[] { c.Baseline.Mean ?? double.NaN, c.FollowUp.Mean ?? double.NaN };
            var cis = new[]
            {
                ReportStatistics.MeanCi95(c.Baseline.Mean, c.Baseline.Sd, c.N),
                ReportStatistics.MeanCi95(c.FollowUp.Mean, c.FollowUp.Sd, c.N),
            };
            if (means.Any(double.IsNaN))
                continue;
            var color = colors[i % colors.Length];
            var line = plot.Add.ScatterLine(xs, means, color);
            line.LineWidth = 1.6f;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = 6;
            var up = cis.Select((ci, k) => ci is { } v ? v.Upper - means[k] : 0).ToArray();
            var down = cis.Select((ci, k) => ci is { } v ? means[k] - v.Lower : 0).ToArray();
            var bars = new ScottPlot.Plottables.ErrorBar(xs, means, null, null, up, down)
            {
                Color = color,
                LineWidth = 1.2f,
                CapSize = 5,
            };
            plot.Add.Plottable(bars);
            low = Math.Min(low, means.Zip(down, (a, b) => a - b).Min());
            high = Math.Max(high, means.Zip(up, (a, b) => a + b).Max());
            legend.Add(
                (
                    $"{ReportFormat.Wave(c.To)} pairs (n = {c.N}): {ReportFormat.Number(c.Baseline.Mean, decimals)} → "
                        + $"{ReportFormat.Number(c.FollowUp.Mean, decimals)}",
                    color,
                    true
                )
            );
        }
        var span = Math.Max(high - low, outcome == "eq5dIndex" ? 0.2 : 10);
        plot.Axes.SetLimits(-1.2, 13.2, low - span * 0.12, high + span * 0.12);
        plot.Axes.Bottom.TickGenerator = ChartKit.Ticks([(0, "Baseline"), (3, "3 months"), (12, "1 year")]);
        plot.Axes.Left.Label.Text = yLabel;
        var chartRect = SKRect.Create(rect.Left, rect.Top + LegendHeight, rect.Width, rect.Height - LegendHeight);
        ChartKit.Legend(canvas, m, rect.Left + padding.Left, rect.Top, rect.Width - padding.Left, legend);
        ChartKit.Render(plot, canvas, chartRect);
    }
}
