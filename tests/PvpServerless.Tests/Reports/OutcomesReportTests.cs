using System.Diagnostics;
using System.Text.RegularExpressions;
using PvpServerless.Reports;

namespace PvpServerless.Tests.Reports;

public sealed class OutcomesReportTests
{
    private static readonly ReportContext SeedContext = new(CensoredDays: OutcomesTestData.SeedSurvivalDays().Censored);

    private static (byte[] Pdf, PdfText Text) RenderAndRead(
        global::PvpServerless.Analysis.Outcomes outcomes,
        ReportContext context,
        string artefact
    )
    {
        var pdf = OutcomesReport.Render(outcomes, context);
        File.WriteAllBytes(Path.Combine(PdfText.ArtifactsFolder(), artefact), pdf);
        var text = PdfText.Read(pdf);
        File.WriteAllText(
            Path.Combine(PdfText.ArtifactsFolder(), Path.ChangeExtension(artefact, ".txt")),
            string.Join("\n\f\n", text.Pages)
        );
        return (pdf, text);
    }

    [Fact]
    public void Seed_report_prints_table_2_rounded_as_the_paper()
    {
        var (_, text) = RenderAndRead(OutcomesTestData.Seed(), SeedContext, "seed.pdf");
        Assert.Contains("3 months 15 0.32 ± 0.36 0.62 ± 0.22 0.30", text.All);
        Assert.Contains("1 year 14 0.36 ± 0.38 0.61 ± 0.35 0.25", text.All);
        Assert.Contains("1 year 17 44.1 ± 19.2 23.3 ± 17.3 -20.8", text.All);
        Assert.Matches(@"0\.005\b", text.All);
        Assert.Contains("p = 0.754", text.All); // chi-squared of the pain item at 1 year, as the paper's 0.753 rounds here
    }

    [Fact]
    public void Every_heading_appears_and_every_page_has_its_number_cutoff_and_provenance()
    {
        var (_, text) = RenderAndRead(OutcomesTestData.Seed(), SeedContext, "seed.pdf");
        foreach (var heading in ReportHeadings.All)
            Assert.Contains(heading, text.All);
        var n = text.Pages.Count;
        Assert.InRange(n, 6, 20);
        for (var i = 0; i < n; i++)
        {
            Assert.Contains($"Page {i + 1} of {n}", text.Pages[i]);
            Assert.Contains("Data cut-off 2018-03-01", text.Pages[i]);
            Assert.Contains(OutcomesTestData.Hash[..12], text.Pages[i]);
            Assert.Contains("0.1.0+seed", text.Pages[i]);
        }
        Assert.Empty(text.OutOfBox);
    }

    [Fact]
    public void Summary_is_one_page_and_table_1_starts_the_second()
    {
        var (_, text) = RenderAndRead(OutcomesTestData.Seed(), SeedContext, "seed.pdf");
        Assert.Contains(ReportHeadings.Summary, text.Pages[0]);
        Assert.DoesNotContain(ReportHeadings.Table1, text.Pages[0]);
        Assert.Contains(ReportHeadings.Table1, text.Pages[1]);
    }

    [Fact]
    public void Charts_are_vector_text_in_the_pdf()
    {
        var (_, text) = RenderAndRead(OutcomesTestData.Seed(), SeedContext, "seed.pdf");
        Assert.Contains("Months since vertebroplasty", text.All); // ScottPlot axis label
        Assert.Contains("At risk 30", text.All); // numbers at risk under the axis
        Assert.Contains("Enrolled 30 patients", text.All); // flow diagram
    }

    [Fact]
    public void Empty_cohort_renders_and_says_what_cannot_be_computed()
    {
        var (_, text) = RenderAndRead(OutcomesTestData.Empty(), new ReportContext(), "empty.pdf");
        foreach (var heading in ReportHeadings.All)
            Assert.Contains(heading, text.All);
        Assert.Contains("Not yet computable: every statistic: the cohort has no patients yet.", text.All);
        Assert.Contains("Not yet computable: survival (no patients).", text.All);
        Assert.Contains("(fewer than 2 pairs)", text.All);
        Assert.DoesNotContain("NaN", text.All);
        Assert.Empty(text.OutOfBox);
        for (var i = 0; i < text.Pages.Count; i++)
            Assert.Contains($"Page {i + 1} of {text.Pages.Count}", text.Pages[i]);
    }

    [Fact]
    public void Tiny_cohort_renders_and_names_the_missing_statistics()
    {
        var (_, text) = RenderAndRead(OutcomesTestData.Tiny(), new ReportContext(), "tiny.pdf");
        Assert.Contains("EQ VAS at 3 months", text.All);
        Assert.Contains("(fewer than 2 pairs)", text.All);
        Assert.Contains("Not yet computable: p for EQ-5D index at 3 months", text.All);
        Assert.Contains("Not yet computable: Wilcoxon test at 3 months", text.All);
        Assert.Contains("Not yet computable: Kaplan–Meier estimate at 1 year", text.All);
        Assert.DoesNotContain("NaN", text.All);
        Assert.Empty(text.OutOfBox);
    }

    [Fact]
    public void Seed_report_renders_fast_and_small()
    {
        OutcomesReport.Render(OutcomesTestData.Seed(), SeedContext); // warm-up: fonts, ScottPlot, JIT
        var watch = Stopwatch.StartNew();
        const int runs = 5;
        byte[] pdf = [];
        for (var i = 0; i < runs; i++)
            pdf = OutcomesReport.Render(OutcomesTestData.Seed(), SeedContext);
        var ms = watch.Elapsed.TotalMilliseconds / runs;
        TestContext.Current.SendDiagnosticMessage(
            $"Seed report: {ms:0} ms per render (warm), {pdf.Length / 1024.0:0.0} KiB, "
                + $"{PdfText.Read(pdf).Pages.Count} pages"
        );
        File.WriteAllText(
            Path.Combine(PdfText.ArtifactsFolder(), "seed-metrics.txt"),
            $"render_ms={ms:0.0}\nbytes={pdf.Length}\n"
        );
        Assert.InRange(pdf.Length, 10_000, 400_000);
        Assert.InRange(ms, 0, 2_000);
        Assert.Matches(new Regex("^%PDF-"), System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
    }
}
