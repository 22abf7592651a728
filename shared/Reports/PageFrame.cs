using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using SkiaSharp;

namespace PvpServerless.Reports;

/// <summary>Header and footer of every page: title and cut-off above; provenance and "Page n of N" below.</summary>
internal static class PageFrame
{
    /// <summary>The input hash is shown by its first 12 hex digits; the methods section prints it in full.</summary>
    public const int HashPrefixLength = 12;

    public static void Draw(
        SKCanvas canvas,
        PageSetup setup,
        int page,
        int pages,
        Outcomes o,
        ReportContext context,
        TextMeasurer m
    )
    {
        var style = Styles.Footer;
        var left = setup.MarginX;
        var right = setup.Width - setup.MarginX;
        using var rule = new SKPaint
        {
            Color = new SKColor(0xFFB8C2CF),
            StrokeWidth = 0.5f,
            IsStroke = true,
        };

        var headerTop = setup.MarginTop - 26;
        // Page 1 opens with the title itself; repeating it above would only echo it.
        if (page > 1)
            m.Draw(canvas, Fit(m, context.Title, style, (right - left) * 0.65f), style, left, headerTop);
        m.Draw(
            canvas,
            $"Data cut-off {ReportFormat.Date(o.CutoffDate)}",
            style.WithBold(),
            right,
            headerTop,
            SKTextAlign.Right
        );
        canvas.DrawLine(left, headerTop + style.LineHeight + 2, right, headerTop + style.LineHeight + 2, rule);

        var footerTop = setup.Height - setup.MarginBottom + 16;
        canvas.DrawLine(left, footerTop - 3, right, footerTop - 3, rule);
        var hash = o.InputSha256.Length > HashPrefixLength ? o.InputSha256[..HashPrefixLength] : o.InputSha256;
        var provenance =
            $"PvpServerless {ShortVersion(o.SoftwareVersion)} · input SHA-256 {hash}… · generated "
                + $"{ReportFormat.Timestamp(o.GeneratedAt)}";
        m.Draw(canvas, Fit(m, provenance, style, (right - left) * 0.78f), style, left, footerTop);
        m.Draw(canvas, $"Page {page} of {pages}", style.WithBold(), right, footerTop, SKTextAlign.Right);
    }

    /// <summary>
    /// "0.1.0+e180b183362e…" (a full 40-digit commit) as "0.1.0+e180b18", as git abbreviates it: with the whole commit
    /// the footer ran out of room and cut off the generation time. The summary and methods print the version in full.
    /// </summary>
    internal static string ShortVersion(string version)
    {
        var plus = version.IndexOf('+');
        if (plus < 0 || version.Length - plus - 1 <= 12)
            return version;
        var build = version[(plus + 1)..];
        return build.All(char.IsAsciiHexDigit) ? version[..(plus + 8)] : version;
    }

    /// <summary>Shortens text with an ellipsis so a header or footer never runs into its neighbour.</summary>
    private static string Fit(TextMeasurer m, string text, TextStyle style, float width)
    {
        if (m.Width(text, style) <= width)
            return text;
        while (text.Length > 1 && m.Width(text + "…", style) > width)
            text = text[..^1];
        return text + "…";
    }
}
