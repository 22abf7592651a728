using System.Diagnostics;
using System.Text.RegularExpressions;
using PvpServerless.Reports;
using PvpServerless.Reports.Bundle;
using SkiaSharp;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// The seed paper's 30 patients through the real analysis and the real renderer: the PDF must print the paper's
/// Table 1 and Table 2 figures as the paper prints them (percentages with one decimal), and every page must render.
/// </summary>
public sealed class SeedReportTests
{
    private static readonly Lazy<PdfText> Text = new(() =>
        PdfText.Read(BundleTestData.Seed.File(ReportBundle.PdfName).Content)
    );

    private static string PageWith(string heading) =>
        Text.Value.Pages.FirstOrDefault(p => p.Contains(heading, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No page holds '{heading}'.");

    [Theory]
    [InlineData("Patients, total, n 30")]
    [InlineData("Age, mean (range), yrs 69.1 (48–86)")]
    [InlineData("Male, n (%) 20 (66.7)")]
    [InlineData("Multiple myeloma 13 (43.3)")]
    [InlineData("Lung 6 (20.0)")]
    [InlineData("Chronic lymphocytic leukaemia 5 (16.7)")]
    [InlineData("Lymphoma 2 (6.7)")]
    [InlineData("Single 6 (20.0)")]
    [InlineData("Multiple 24 (80.0)")]
    [InlineData("Thoracic 37 (45.7)")]
    [InlineData("Lumbar 44 (54.3)")]
    [InlineData("Total 81 (100.0)")]
    [InlineData("Posterior wall defects, n/N (%) 24/81 (29.6)")]
    [InlineData("Cement leakage, n/N (%) 12/81 (14.8)")]
    [InlineData("Symptomatic complications 0")]
    [InlineData("3 mo.s 23/30 (76.7)")]
    [InlineData("1 yr 18/30 (60.0)")]
    public void Table_1_prints_the_papers_figures(string row) => Assert.Contains(row, PageWith(ReportHeadings.Table1));

    [Theory]
    // Outcome row: follow-up, pairs, baseline mean ± SD, follow-up mean ± SD, difference, 95 % CI, p — as Table 2 of
    // the paper.
    [InlineData(@"EQ-5D index 3 months 15 0\.32 ± 0\.36 0\.62 ± 0\.22 \S+ \S+ to \S+ 0\.005")]
    [InlineData(@"1 year 14 0\.36 ± 0\.38 0\.61 ± 0\.35 \S+ \S+ to \S+ 0\.011")]
    [InlineData(@"ODI 3 months .*? 1 year 17 44\.1 ± 19\.2 23\.3 ± 17\.3 -20\.8 \S+ to \S+ 0\.003")]
    public void Table_2_prints_the_papers_figures(string pattern) =>
        Assert.Matches(pattern, PageWith(ReportHeadings.Table2));

    [Fact]
    public void Pain_chi_squared_at_one_year_is_the_papers_p() =>
        Assert.Matches(@"1 year 17 χ² = [\d.]+, df = \d, p = 0\.753", PageWith("Tests of baseline against follow-up"));

    [Fact]
    public void Every_section_heading_is_there_and_nothing_leaves_the_page()
    {
        foreach (var heading in ReportHeadings.All)
            Assert.Contains(heading, Text.Value.All);
        Assert.Empty(Text.Value.OutOfBox);
        Assert.DoesNotContain("NaN", Text.Value.All);
        Assert.Equal(BundleTestData.Seed.Pages, Text.Value.Pages.Count);
    }

    [Fact]
    public void Footer_of_a_build_with_its_commit_keeps_the_generation_time()
    {
        const string version = "0.1.0+e180b183362e75c1499cbb0d5a8353045380fbc8";
        var bundle = ReportBundle.Build(
            PvpServerless.Demo.SeedCohort.Build(),
            PvpServerless.Analysis.AnalysisOptions.Default,
            version,
            new BundleTestData.SteppingClock(BundleTestData.Started, TimeSpan.Zero)
        );
        var text = PdfText.Read(bundle.File(ReportBundle.PdfName).Content);
        Assert.All(text.Pages, page => Assert.Contains("PvpServerless 0.1.0+e180b18 · input SHA-256", page));
        Assert.All(text.Pages, page => Assert.Contains("generated 2018-03-02 02:00 UTC", page));
        Assert.Contains(version, text.Pages[0]); // the summary's provenance line has it in full
        Assert.Equal("0.1.0+seed", PageFrame.ShortVersion("0.1.0+seed"));
        Assert.Equal("0.1.0", PageFrame.ShortVersion("0.1.0"));
    }

    /// <summary>
    /// Every page rasterised by poppler into artifacts/report-pages/ (for a look, and for CI to keep): one PNG per
    /// page, A4 at 60 dpi, with ink on it. CI installs poppler-utils, so a missing pdftoppm fails the test.
    /// </summary>
    [Fact]
    public async Task Every_page_renders_to_png()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var folder = PdfText.ArtifactsFolder("report-pages");
        foreach (var old in Directory.GetFiles(folder, "seed-page-*.png"))
            File.Delete(old);
        var pdf = Path.Combine(folder, "seed.pdf");
        await File.WriteAllBytesAsync(pdf, BundleTestData.Seed.File(ReportBundle.PdfName).Content, cancellationToken);

        var start = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-png", "-r", "60", pdf, Path.Combine(folder, "seed-page") })
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("pdftoppm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail(
                $"pdftoppm is not installed ({e.Message}): install poppler-utils (apt-get install -y poppler-utils)."
            );
            return;
        }
        using (process)
        {
            var stderr = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            Assert.True(process.ExitCode == 0, $"pdftoppm exited {process.ExitCode}: {stderr}");
        }

        var pngs = Directory.GetFiles(folder, "seed-page-*.png").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(BundleTestData.Seed.Pages, pngs.Count);
        foreach (var png in pngs)
        {
            Assert.InRange(new FileInfo(png).Length, 10_000, 2_000_000);
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal((496, 702), (bitmap.Width, bitmap.Height)); // A4 (595 × 842 pt) at 60 dpi
            Assert.InRange(InkShare(bitmap), 0.01, 0.6);
        }
    }

    /// <summary>Share of pixels that are not near-white: a blank or a black page is out of range.</summary>
    private static double InkShare(SKBitmap bitmap)
    {
        var ink = 0;
        foreach (var pixel in bitmap.Pixels)
            if (pixel.Red + pixel.Green + pixel.Blue < 3 * 230)
                ink++;
        return (double)ink / bitmap.Pixels.Length;
    }

    [Fact]
    public void Pdf_is_a_small_pdf()
    {
        var pdf = BundleTestData.Seed.File(ReportBundle.PdfName);
        Assert.Matches(new Regex("^%PDF-"), System.Text.Encoding.ASCII.GetString(pdf.Content, 0, 5));
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.InRange(pdf.Content.Length, 10_000, 400_000);
        TestContext.Current.SendDiagnosticMessage(
            $"Seed report: {BundleTestData.Seed.Pages} pages, {pdf.Content.Length} bytes"
        );
    }
}
