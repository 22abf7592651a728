using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using ScottPlot;
using SkiaSharp;

namespace PvpServerless.Reports.Charts;

/// <summary>
/// Distribution of the pain item (ODI section 1) as 100 % stacked bars, baseline beside follow-up per wave.
/// </summary>
internal static class PainBars
{
    private static readonly Color[] Palette = new[] { "#FEF0D9", "#FDD49E", "#FDBB84", "#FC8D59", "#E34A33", "#B30000" }
        .Select(Color.FromHex)
        .ToArray();

    public static GraphicBlock Block(IReadOnlyList<PainComparison> pain, TextMeasurer m, float height) =>
        new(height, (canvas, rect) => Draw(canvas, rect, pain, m));

    private static void Draw(SKCanvas canvas, SKRect rect, IReadOnlyList<PainComparison> pain, TextMeasurer m)
    {
        const float legendWidth = 120;
        const float left = 46,
            right = 8;
        var padding = new PixelPadding(left: left, right: right, bottom: 34, top: 8);
        var plot = ChartKit.NewPlot(padding);
        var ticks = new List<(double, string)>();
        for (var w = 0; w < pain.Count; w++)
        {
            var p = pain[w];
            var baseX = w * 2.6;
            Stack(plot, baseX, p.BaselineCounts);
            Stack(plot, baseX + 1, p.FollowUpCounts);
            ticks.Add((baseX, "Baseline"));
            ticks.Add((baseX + 1, $"{ReportFormat.Wave(p.To)}"));
        }
        var (xMin, xMax) = (-0.7, Math.Max(1.7, (pain.Count - 1) * 2.6 + 1.7));
        plot.Axes.SetLimits(xMin, xMax, 0, 100);
        plot.Axes.Bottom.TickGenerator = ChartKit.Ticks(ticks);
        plot.Axes.Left.Label.Text = "Patients (%)";
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        var chart = SKRect.Create(rect.Left, rect.Top, rect.Width - legendWidth, rect.Height);
        ChartKit.Render(plot, canvas, chart);

        // Under each pair of bars, whose pairs they are: both bars of a pair are labelled "Baseline" and a wave alone.
        var dataLeft = chart.Left + left;
        var dataWidth = chart.Width - left - right;
        for (var w = 0; w < pain.Count; w++)
        {
            var x = dataLeft + (float)((w * 2.6 + 0.5 - xMin) / (xMax - xMin)) * dataWidth;
            m.Draw(
                canvas,
                $"Pairs at {ReportFormat.Wave(pain[w].To)} (n = {pain[w].N})",
                Styles.Small.WithBold(),
                x,
                chart.Bottom - Styles.Small.LineHeight - 1,
                SKTextAlign.Center
            );
        }

        // Legend, top category first so it reads like the stack.
        var style = Styles.Small;
        var legendX = rect.Right - legendWidth + 10;
        m.Draw(canvas, "ODI item 1 (pain)", style.WithBold(), legendX, rect.Top + 6);
        for (var k = 5; k >= 0; k--)
        {
            var y = rect.Top + 6 + (6 - k) * style.LineHeight * 1.25f;
            using var paint = new SKPaint { Color = Palette[k].ToSKColor(), IsAntialias = true };
            canvas.DrawRect(SKRect.Create(legendX, y + 2, 10, 8), paint);
            using var border = new SKPaint
            {
                Color = new SKColor(0xFF888888),
                IsStroke = true,
                StrokeWidth = 0.4f,
            };
            canvas.DrawRect(SKRect.Create(legendX, y + 2, 10, 8), border);
            m.Draw(canvas, ReportFormat.PainCategories[k], style, legendX + 14, y);
        }
    }

    private static void Stack(Plot plot, double x, IReadOnlyList<int> counts)
    {
        var total = counts.Sum();
        if (total == 0)
            return;
        var bottom = 0.0;
        for (var k = 0; k < counts.Count && k < Palette.Length; k++)
        {
            var share = 100.0 * counts[k] / total;
            if (share > 0)
            {
                plot.Add.Bar(
                    new Bar
                    {
                        Position = x,
                        ValueBase = bottom,
                        Value = bottom + share,
                        Size = 0.8,
                        FillColor = Palette[k],
                        LineColor = Color.FromHex("#888888"),
                        LineWidth = 0.4f,
                    }
                );
            }
            bottom += share;
        }
    }
}
