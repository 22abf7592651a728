using System.Reflection;
using SkiaSharp;

namespace PvpServerless.Reports;

/// <summary>
/// The bundled report typefaces (DejaVu Sans Condensed, subset by Fonts/subset-fonts.sh). With Skia's NoDependencies
/// native asset there is no fontconfig: an unloaded font makes text vanish silently, so loading fails loudly instead.
/// </summary>
public sealed class ReportFonts
{
    /// <summary>The family name under which ScottPlot finds the bundled typefaces.</summary>
    public const string FamilyName = "PvpReport Sans";

    /// <summary>
    /// Every character the report prints beyond ASCII must have a glyph: Danish letters and the symbols.
    /// </summary>
    internal const string RequiredCharacters = "AZaz09æøåÆØÅ±–—≥≤…×−·’χ²→";

    public SKTypeface Regular { get; }
    public SKTypeface Bold { get; }

    private ReportFonts(SKTypeface regular, SKTypeface bold) => (Regular, Bold) = (regular, bold);

    /// <summary>The process-wide instance; typefaces are immutable and thread-safe in Skia.</summary>
    public static ReportFonts Shared => LazyShared.Value;

    private static readonly Lazy<ReportFonts> LazyShared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads and checks both typefaces; throws when a typeface is missing or lacks a required glyph.</summary>
    public static ReportFonts Load()
    {
        var fonts = new ReportFonts(
            LoadTypeface("DejaVuSansCondensed.ttf"),
            LoadTypeface("DejaVuSansCondensed-Bold.ttf")
        );
        ScottPlotFonts.Register(fonts);
        return fonts;
    }

    public SKTypeface Typeface(bool bold) => bold ? Bold : Regular;

    private static SKTypeface LoadTypeface(string file)
    {
        var name = $"PvpServerless.Reports.Fonts.{file}";
        using var stream =
            Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Report font resource '{name}' is not embedded.");
        var typeface =
            SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException($"Report font '{file}' could not be read by Skia.");
        EnsureGlyphs(typeface, file);
        return typeface;
    }

    internal static void EnsureGlyphs(SKTypeface typeface, string what, string required = RequiredCharacters)
    {
        if (typeface.GlyphCount == 0)
            throw new InvalidOperationException($"Report font '{what}' has no glyphs: text would silently disappear.");
        using var font = new SKFont(typeface, 10);
        var glyphs = font.GetGlyphs(required);
        var missing = required.Where((_, i) => glyphs[i] == 0).ToArray();
        if (missing.Length > 0)
            throw new InvalidOperationException($"Report font '{what}' lacks glyphs for '{new string(missing)}'.");
    }
}
