using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using PvpServerless.Reports.Sections;
using SkiaSharp;

namespace PvpServerless.Reports;

/// <summary>
/// Renders outcomes.json as the nightly PDF report: A4, bundled fonts, vector charts, the sections of the seed paper
/// in its order and rounding, "Page n of N" with cut-off and provenance on every page. Pure: same input, same bytes
/// apart from what Skia itself varies.
/// </summary>
public static class OutcomesReport
{
    /// <summary>Renders the report and returns the PDF bytes.</summary>
    public static byte[] Render(Outcomes outcomes, ReportContext context)
    {
        using var stream = new MemoryStream();
        Render(outcomes, context, stream);
        return stream.ToArray();
    }

    /// <summary>Writes the report PDF to <paramref name="output"/>; returns the number of pages.</summary>
    public static int Render(Outcomes outcomes, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(context);
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        var b = new ReportBuilder(measurer);
        SummarySection.Add(b, outcomes, context);
        Table1Section.Add(b, outcomes);
        Table2Section.Add(b, outcomes, context);
        PainSection.Add(b, outcomes);
        SafetySection.Add(b, outcomes);
        SurvivalSection.Add(b, outcomes, context);
        FollowUpSection.Add(b, outcomes);
        FiguresSection.Add(b, outcomes);
        MethodsSection.Add(b, outcomes, context);

        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"{context.Title} – outcomes report, cut-off {ReportFormat.Date(outcomes.CutoffDate)}",
            Author = "PvpServerless",
            Creator = $"PvpServerless {outcomes.SoftwareVersion}",
            Producer = "PvpServerless (SkiaSharp, ScottPlot)",
            Creation = outcomes.GeneratedAt.UtcDateTime,
            Modified = outcomes.GeneratedAt.UtcDateTime,
        };
        return PdfDocumentWriter.Write(
            output,
            b.Blocks,
            new PageSetup(),
            measurer,
            (canvas, setup, page, pages) => PageFrame.Draw(canvas, setup, page, pages, outcomes, context, measurer),
            metadata
        );
    }
}
