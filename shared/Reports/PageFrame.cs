using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using SkiaSharp;

namespace PvpServerless.Reports;

/// <summary>Header and footer of every page: title and cut-off above; provenance and "Page n of N" below.</summary>
internal static class PageFrame
{
    /// <summary>The input hash is shown by its first 12 hex digits; the methods section prints it in full.</summary>
    public const int HashPrefixLength = 12;

    public static void Draw(SKCanvas canvas, PageSetup setup, int page, int pages, Outcomes o, ReportContext context, TextMeasurer m)
    {
        var style = Styles.Footer;
        var left = setup.MarginX;
        var right = setup.Width - setup.MarginX;
        using var rule = new SKPaint { Color = new SKColor(0xFFB8C2CF), StrokeWidth = 0.5f, IsStroke = true };

        var headerTop = setup.MarginTop - 26;
        m.Draw(canvas, Fit(m, context.Title, style, (right - left) * 0.65f), style, left, headerTop);
        m.Draw(canvas, $"Data cut-off {ReportFormat.Date(o.CutoffDate)}", style.WithBold(), right, headerTop, SKTextAlign.Right);
        canvas.DrawLine(left, headerTop + style.LineHeight + 2, right, headerTop + style.LineHeight + 2, rule);

        var footerTop = setup.Height - setup.MarginBottom + 16;
        canvas.DrawLine(left, footerTop - 3, right, footerTop - 3, rule);
        var hash = o.InputSha256.Length > HashPrefixLength ? o.InputSha256[..HashPrefixLength] : o.InputSha256;
        var provenance = $"PvpServerless {o.SoftwareVersion} · input SHA-256 {hash}… · generated {ReportFormat.Timestamp(o.GeneratedAt)}";
        m.Draw(canvas, Fit(m, provenance, style, (right - left) * 0.78f), style, left, footerTop);
        m.Draw(canvas, $"Page {page} of {pages}", style.WithBold(), right, footerTop, SKTextAlign.Right);
    }

    /// <summary>Shortens text with an ellipsis so a header or footer never runs into its neighbour.</summary>
    private static string Fit(TextMeasurer m, string text, TextStyle style, float width)
    {
        if (m.Width(text, style) <= width) return text;
        while (text.Length > 1 && m.Width(text + "…", style) > width) text = text[..^1];
        return text + "…";
    }
}
