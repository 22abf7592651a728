using SkiaSharp;

namespace PvpServerless.Reports.Layout;

/// <summary>Measures and word-wraps text with the bundled fonts. Not thread-safe (it owns SKFont instances).</summary>
public sealed class TextMeasurer(ReportFonts fonts) : IDisposable
{
    private readonly Dictionary<(bool Bold, float Size), SKFont> cache = [];

    public ReportFonts Fonts => fonts;

    public SKFont Font(TextStyle style)
    {
        if (!cache.TryGetValue((style.Bold, style.Size), out var font))
        {
            // Unhinted linear metrics: the advances Skia positions glyphs with are then the ones the PDF font declares,
            // so text extracts as words (hinted, rounded advances read as stray spaces in pdftotext and PdfPig).
            font = new SKFont(fonts.Typeface(style.Bold), style.Size)
            {
                Subpixel = true,
                LinearMetrics = true,
                Hinting = SKFontHinting.None,
                Edging = SKFontEdging.Antialias,
            };
            cache[(style.Bold, style.Size)] = font;
        }
        return font;
    }

    /// <summary>
    /// No-break space: <see cref="Wrap"/> never breaks a line there; it measures and draws as a space.
    /// </summary>
    public const char NoBreakSpace = '\u00A0';

    public float Width(string text, TextStyle style) => Font(style).MeasureText(text.Replace(NoBreakSpace, ' '));

    /// <summary>Distance from a line's top to its baseline, centring the glyphs in the line height.</summary>
    public float Baseline(TextStyle style)
    {
        var m = Font(style).Metrics;
        var glyphHeight = m.Descent - m.Ascent;
        return (style.LineHeight - glyphHeight) / 2 - m.Ascent;
    }

    /// <summary>
    /// Greedy word wrap at spaces (never at <see cref="NoBreakSpace"/>); explicit '\n' starts a new line; a word wider
    /// than the line is broken between characters so nothing is ever drawn past <paramref name="maxWidth"/>.
    /// </summary>
    public IReadOnlyList<string> Wrap(string text, TextStyle style, float maxWidth)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Width(candidate, style) <= maxWidth)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                    lines.Add(line);
                line = word;
                while (Width(line, style) > maxWidth && line.Length > 1)
                {
                    var cut = line.Length - 1;
                    while (cut > 1 && Width(line[..cut], style) > maxWidth)
                        cut--;
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    public void Draw(
        SKCanvas canvas,
        string text,
        TextStyle style,
        float x,
        float top,
        SKTextAlign align = SKTextAlign.Left
    )
    {
        using var paint = new SKPaint { Color = style.Color, IsAntialias = true };
        canvas.DrawText(text.Replace(NoBreakSpace, ' '), x, top + Baseline(style), align, Font(style), paint);
    }

    public void Dispose()
    {
        foreach (var font in cache.Values)
            font.Dispose();
        cache.Clear();
    }
}
