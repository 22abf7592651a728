using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PvpServerless.Analysis;
using PvpServerless.Reports;
using static PvpServerless.Tests.Reports.OutcomesTestData;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// The renderer over outcomes the real analysis computed from the reference cohorts, checked against the figures R
/// computed for the same cohorts (Analysis/Reference/expected): every printed number must be R's, rounded as the paper.
/// </summary>
public sealed class OutcomesReportTests
{
    /// <summary>60 patients, EQ-5D-3L with the Danish value set, every section computable.</summary>
    private const string Main = "random-3l-dk-60";

    private static readonly Lazy<PdfText> MainText = new(() => RenderAndRead(Main, "reference-60.pdf"));

    private static PdfText RenderAndRead(string cohortName, string artefact) =>
        RenderAndRead(ReferenceCohort(cohortName), artefact);

    private static PdfText RenderAndRead(PvpServerless.Cohort.CohortDocument cohort, string artefact)
    {
        var pdf = OutcomesReport.Render(Analyse(cohort), Context(cohort));
        File.WriteAllBytes(Path.Combine(PdfText.ArtifactsFolder(), artefact), pdf);
        var text = PdfText.Read(pdf);
        File.WriteAllText(
            Path.Combine(PdfText.ArtifactsFolder(), Path.ChangeExtension(artefact, ".txt")),
            string.Join("\n\f\n", text.Pages)
        );
        return text;
    }

    private static string PageWith(PdfText text, string heading) =>
        text.Pages.FirstOrDefault(p => p.Contains(heading, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No page holds '{heading}'.");

    [Theory]
    // Written out by hand from R's values (expected/random-3l-dk-60.json), e.g. EQ-5D at 3 months: baseline
    // 0.6259 ± 0.2751, follow-up 0.4783 ± 0.2702, difference −0.1476 (CI −0.2926 to −0.0026), p = 0.0466.
    [InlineData("EQ-5D index 3 months 14 0.63 ± 0.28 0.48 ± 0.27 -0.15 -0.29 to 0.00 0.047")]
    [InlineData("1 year 13 0.43 ± 0.26 0.59 ± 0.25 0.16 -0.06 to 0.38 0.146")]
    // EQ VAS at 3 months: R's difference is −4.65 exactly (−93/20 over 20 pairs), so half away from zero gives −4.7.
    [InlineData("EQ VAS 3 months 20 46.9 ± 30.9 42.2 ± 32.2 -4.7 -26.5 to 17.2 0.661")]
    [InlineData("1 year 22 43.8 ± 30.8 60.4 ± 26.4 16.6 0.2 to 33.0 0.048")]
    [InlineData("ODI 3 months 24 49.9 ± 11.7 49.3 ± 8.5 -0.6 -5.9 to 4.6 0.805")]
    [InlineData("1 year 15 53.6 ± 10.5 45.1 ± 8.8 -8.4 -17.0 to 0.1 0.053")]
    public void Table_2_prints_Rs_figures_as_the_paper_rounds_them(string row) =>
        Assert.Contains(row, PageWith(MainText.Value, ReportHeadings.Table2));

    [Theory]
    // Pain item (R: chi-squared 4.2857 / 12.9, df 5, p 0.5091 / 0.0243; Wilcoxon V 72.5 / 65.5, p 0.8341 / 0.1695).
    [InlineData("3 months 20 χ² = 4.29, df = 5, p = 0.509 V = 72.5, p = 0.834")]
    [InlineData("1 year 15 χ² = 12.90, df = 5, p = 0.024 V = 65.5, p = 0.170")]
    [InlineData("Median 2.0 2.5 3.0 4.0")]
    // Responders (R: 2/14, 8/13, 3/24, 7/15).
    [InlineData("EQ-5D index 3 months 0.12 (increase) 2/14 (14.3)")]
    [InlineData("ODI 1 year 10 points (decrease) 7/15 (46.7)")]
    // Leakage (R: 23/122, Wilson 12.9037 to 26.7028; Fisher p 0.0789).
    [InlineData("Cement leakage, per treated vertebra assessed 23/122 (18.9) 12.9 to 26.7")]
    [InlineData("Fisher's exact test (two-sided): p = 0.079.")]
    // Kaplan–Meier (R: 0.8126 (0.7186–0.9189) at day 91, 0.7592 (0.6567–0.8777) at day 365, median 981 days).
    [InlineData("3 months 81.3 71.9 to 91.9 46/56 (82.1)")]
    [InlineData("1 year 75.9 65.7 to 87.8 39/45 (86.7)")]
    [InlineData("Median survival: 981 days")]
    // Follow-up and attrition (R: 57 due, 45 eligible, 33 answered; Welch p 0.0993 and 0.0954).
    [InlineData("3 months 57 45 33 73.3")]
    [InlineData("3 months 14 0.63 21 0.47 0.15 0.099")]
    [InlineData("1 year 13 0.43 12 0.62 -0.18 0.095")]
    public void The_other_sections_print_Rs_figures(string row) => Assert.Contains(row, MainText.Value.All);

    public static TheoryData<string> ReferenceCohorts => new() { Main, "random-3l-uk-25", "random-5l-eng-150" };

    /// <summary>Every row of Table 2 and of the pain tests, composed from R's numbers for the cohort.</summary>
    [Theory]
    [MemberData(nameof(ReferenceCohorts))]
    public void Every_comparison_row_is_Rs(string name)
    {
        var r = R(name);
        var text = name == Main ? MainText.Value : RenderAndRead(name, name + ".pdf");
        var table2 = PageWith(text, ReportHeadings.Table2);
        var comparisons = r["comparisons"]!.AsArray();
        Assert.NotEmpty(comparisons);
        foreach (var c in comparisons)
        {
            var d = c!["outcome"]!.GetValue<string>() == "eq5dIndex" ? 2 : 1;
            var ci = c["difference"]!["ci95"];
            var row =
                $"{Wave(c["to"])} {c["n"]} {Printed(c["baseline"]!["mean"], d)} ± {Printed(c["baseline"]!["sd"], d)} "
                + $"{Printed(c["followUp"]!["mean"], d)} ± {Printed(c["followUp"]!["sd"], d)} "
                + $"{Printed(c["difference"]!["mean"], d)} {Printed(ci?["lower"], d)} to {Printed(ci?["upper"], d)} "
                + PrintedP(c["p"]);
            Assert.Contains(row, table2);
        }
        foreach (var p in r["pain"]!.AsArray())
        {
            var chi = p!["chiSquared"]!;
            var wilcoxon = p["wilcoxon"]!;
            Assert.Contains(
                $"{Wave(p["to"])} {p["n"]} χ² = {Printed(chi["statistic"], 2)}, df = {chi["df"]}, "
                    + $"p = {PrintedP(chi["p"])} V = {Printed(wilcoxon["statistic"], 1)}, "
                    + $"p = {PrintedP(wilcoxon["p"])}",
                text.All
            );
        }
    }

    private static string Wave(JsonNode? code) => code!.GetValue<string>() == "3m" ? "3 months" : "1 year";

    [Fact]
    public void Every_heading_appears_and_every_page_has_its_number_cutoff_and_provenance()
    {
        var text = MainText.Value;
        var hash = PvpServerless.Cohort.CohortJson.Sha256(ReferenceCohort(Main));
        foreach (var heading in ReportHeadings.All)
            Assert.Contains(heading, text.All);
        var n = text.Pages.Count;
        Assert.InRange(n, 6, 20);
        for (var i = 0; i < n; i++)
        {
            Assert.Contains($"Page {i + 1} of {n}", text.Pages[i]);
            Assert.Contains("Data cut-off 2018-03-01", text.Pages[i]);
            Assert.Contains($"input SHA-256 {hash[..12]}…", text.Pages[i]);
            Assert.Contains("PvpServerless 0.1.0+reference", text.Pages[i]);
            Assert.Contains("generated 2018-03-02 02:15 UTC", text.Pages[i]);
        }
        Assert.Contains(hash, text.All); // in full in the methods
        Assert.Empty(text.OutOfBox);
    }

    [Fact]
    public void Summary_is_one_page_and_table_1_starts_the_second()
    {
        var text = MainText.Value;
        Assert.Contains(ReportHeadings.Summary, text.Pages[0]);
        Assert.DoesNotContain(ReportHeadings.Table1, text.Pages[0]);
        Assert.Contains(ReportHeadings.Table1, text.Pages[1]);
    }

    [Fact]
    public void Charts_are_vector_text_in_the_pdf()
    {
        var text = MainText.Value.All;
        Assert.Contains("Months since vertebroplasty", text); // ScottPlot axis label
        Assert.Contains("At risk 60 39 22 9 1", text); // numbers at risk under the axis, at 0, 12, 24, 36, 48 months
        Assert.Contains("Enrolled 60 patients", text); // flow diagram
    }

    [Fact]
    public void Empty_cohort_renders_and_says_what_cannot_be_computed()
    {
        var text = RenderAndRead(Empty, "empty.pdf");
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
    public void A_cohort_with_a_single_pair_names_what_is_missing_and_prints_Rs_few_figures()
    {
        // edge-one-pair: R has no comparison row (fewer than 2 pairs), one pain pair at 3 months (chi-squared 2,
        // df 1, p 0.1573; Wilcoxon V 0, p 1), no leakage in 4 assessed vertebrae (Wilson 0 to 48.99 %).
        var text = RenderAndRead("edge-one-pair", "edge-one-pair.pdf");
        Assert.Empty(R("edge-one-pair")["comparisons"]!.AsArray());
        Assert.Contains(
            "Not yet computable: EQ-5D index at 3 months; EQ-5D index at 1 year; EQ VAS at 3 months; EQ VAS at 1 year; "
                + "ODI at 3 months; ODI at 1 year (fewer than 2 pairs).",
            text.All
        );
        Assert.Contains("Not yet computable: responders need a paired EQ-5D or ODI comparison", text.All);
        Assert.Contains("3 months 1 χ² = 2.00, df = 1, p = 0.157 V = 0.0, p = 1.000", text.All);
        Assert.Contains("Cement leakage, per treated vertebra assessed 0/4 (0.0) 0.0 to 49.0", text.All);
        Assert.Contains("Median survival not reached", text.All);
        Assert.DoesNotContain("NaN", text.All);
        Assert.Empty(text.OutOfBox);
    }

    [Fact]
    public void Report_renders_fast_and_small()
    {
        var cohort = ReferenceCohort(Main);
        var outcomes = Analyse(cohort);
        OutcomesReport.Render(outcomes, Context(cohort)); // warm-up: fonts, ScottPlot, JIT
        var watch = Stopwatch.StartNew();
        const int runs = 5;
        byte[] pdf = [];
        for (var i = 0; i < runs; i++)
            pdf = OutcomesReport.Render(outcomes, Context(cohort));
        var ms = watch.Elapsed.TotalMilliseconds / runs;
        TestContext.Current.SendDiagnosticMessage(
            $"Reference report: {ms:0} ms per render (warm), {pdf.Length / 1024.0:0.0} KiB, "
                + $"{PdfText.Read(pdf).Pages.Count} pages"
        );
        File.WriteAllText(
            Path.Combine(PdfText.ArtifactsFolder(), "reference-metrics.txt"),
            $"render_ms={ms:0.0}\nbytes={pdf.Length}\n"
        );
        Assert.InRange(pdf.Length, 10_000, 400_000);
        Assert.InRange(ms, 0, 2_000);
        Assert.Matches(new Regex("^%PDF-"), System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
    }
}
