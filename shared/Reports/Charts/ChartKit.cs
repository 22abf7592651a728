using PvpServerless.Reports.Layout;
using ScottPlot;
using SkiaSharp;

namespace PvpServerless.Reports.Charts;

/// <summary>
/// Shared chart plumbing: a ScottPlot plot in the report's typeface with a fixed data area (so Skia-drawn legends and
/// the numbers-at-risk row line up with the axes), rendered as vectors onto the PDF page canvas.
/// </summary>
internal static class ChartKit
{
    public static readonly Color Ink = Color.FromHex("#1A1A1A");
    public static readonly Color Navy = Color.FromHex("#12355B");
    public static readonly Color Teal = Color.FromHex("#2A8C82");
    public static readonly Color Orange = Color.FromHex("#D9822B");

    public static Plot NewPlot(PixelPadding padding)
    {
        var plot = new Plot();
        plot.Font.Set(ReportFonts.FamilyName);
        plot.Legend.IsVisible = false;
        plot.Legend.SetBestFontOnEachRender = false;
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = 8;
            axis.TickLabelStyle.ForeColor = Ink;
            axis.Label.FontSize = 9;
            axis.Label.Bold = false;
            axis.Label.ForeColor = Ink;
        }
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.Axes.Top.FrameLineStyle.Width = 0;
        plot.Grid.MajorLineColor = Color.FromHex("#E6E9EE");
        plot.Layout.Fixed(padding);
        return plot;
    }

    /// <summary>
    /// Renders the plot into <paramref name="rect"/> (page points; ScottPlot pixels map 1:1 to points).
    /// </summary>
    public static void Render(Plot plot, SKCanvas canvas, SKRect rect)
    {
        // ScottPlot renders a fresh plot twice (the first pass settles the axis limits); on a PDF canvas that would
        // draw every line and label twice. A dry pass on a no-draw canvas leaves one real pass for the page.
        using (var dry = new SKNoDrawCanvas((int)rect.Width, (int)rect.Height))
            plot.Render(dry, (int)rect.Width, (int)rect.Height);
        canvas.Save();
        canvas.Translate(rect.Left, rect.Top);
        canvas.ClipRect(SKRect.Create(0, 0, rect.Width, rect.Height));
        plot.Render(canvas, (int)rect.Width, (int)rect.Height);
        canvas.Restore();
    }

    public static ScottPlot.TickGenerators.NumericManual Ticks(IEnumerable<(double Position, string Label)> ticks)
    {
        var generator = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (position, label) in ticks)
            generator.AddMajor(position, label);
        return generator;
    }

    /// <summary>
    /// A legend row drawn with the report font: coloured swatches and labels, left to right, wrapping.
    /// </summary>
    public static void Legend(
        SKCanvas canvas,
        TextMeasurer m,
        float left,
        float top,
        float width,
        IReadOnlyList<(string Label, Color Color, bool Line)> items
    )
    {
        var style = Styles.Small;
        float x = left,
            y = top;
        foreach (var (label, color, line) in items)
        {
            var itemWidth = 14 + m.Width(label, style) + 12;
            if (x > left && x + itemWidth > left + width)
            {
                x = left;
                y += style.LineHeight;
            }
            using var paint = new SKPaint
            {
                Color = color.ToSKColor(),
                IsAntialias = true,
                StrokeWidth = 1.6f,
                IsStroke = line,
            };
            var mid = y + style.LineHeight / 2;
            if (line)
                canvas.DrawLine(x, mid, x + 10, mid, paint);
            else
                canvas.DrawRect(SKRect.Create(x, mid - 4, 10, 8), paint);
            m.Draw(canvas, label, style, x + 14, y);
            x += itemWidth;
        }
    }
}
