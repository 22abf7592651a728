using ScottPlot;
using SkiaSharp;

namespace PvpServerless.Reports;

/// <summary>
/// Makes ScottPlot draw with the bundled typefaces. ScottPlot keeps its font resolvers in a process-wide list; the
/// resolver is added once and answers only for <see cref="ReportFonts.FamilyName"/>, so other plots are unaffected.
/// </summary>
internal sealed class ScottPlotFonts(ReportFonts fonts) : IFontResolver
{
    private static readonly Lock Gate = new();

    public static void Register(ReportFonts fonts)
    {
        lock (Gate)
        {
            if (!Fonts.FontResolvers.OfType<ScottPlotFonts>().Any())
                Fonts.FontResolvers.Insert(0, new ScottPlotFonts(fonts));
        }
        // A resolver that returns nothing would leave charts without labels: fail at start-up instead.
        var resolved = Fonts.GetTypeface(ReportFonts.FamilyName, bold: false, italic: false);
        if (resolved.FamilyName != fonts.Regular.FamilyName)
            throw new InvalidOperationException(
                $"ScottPlot did not resolve '{ReportFonts.FamilyName}' to the bundled font."
            );
    }

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        fontName == ReportFonts.FamilyName ? fonts.Typeface(bold) : null;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);
}
