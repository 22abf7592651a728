using PvpServerless.Reports;
using PvpServerless.Reports.Layout;
using SkiaSharp;

namespace PvpServerless.Tests.Reports;

public sealed class LayoutTests
{
    private static byte[] Write(IReadOnlyList<Block> blocks, out int pages)
    {
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        using var stream = new MemoryStream();
        pages = PdfDocumentWriter.Write(
            stream,
            blocks,
            new PageSetup(),
            measurer,
            (canvas, setup, page, count) =>
                measurer.Draw(canvas, $"Page {page} of {count}", Styles.Footer, setup.MarginX, setup.Height - 40),
            new SKDocumentPdfMetadata()
        );
        return stream.ToArray();
    }

    [Fact]
    public void A_long_table_breaks_between_rows_and_repeats_its_header()
    {
        var rows = Enumerable
            .Range(1, 140)
            .Select(i => new TableRow([$"Row{i:000}", $"Cell {i} with text that wraps " + new string('x', i % 3 * 20)]))
            .ToList();
        var pdf = Write(
            [
                new Heading("Long table", Styles.Heading1),
                new TableBlock([new(1), new(1.2f)], ["Name-col", "Value-col"], rows),
            ],
            out var pages
        );
        var text = PdfText.Read(pdf);
        Assert.Equal(pages, text.Pages.Count);
        Assert.True(pages >= 3, $"expected the table to span pages, got {pages}");
        foreach (var page in text.Pages)
            Assert.Contains("Name-col Value-col", page);
        for (var i = 1; i <= 140; i++)
        {
            var hits = text.Pages.Count(p => p.Contains($"Row{i:000} Cell {i} "));
            Assert.True(hits == 1, $"Row{i:000} appears {hits} times with its cell");
        }
        Assert.Empty(text.OutOfBox);
    }

    [Fact]
    public void Word_wrap_keeps_every_line_inside_the_width()
    {
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        var text =
            "Kaplan–Meier survival æøå ÆØÅ ± ≥ ≤ … "
            + string.Concat(Enumerable.Repeat("averyveryverylongwordwithoutspaces", 4));
        var lines = measurer.Wrap(text, Styles.Body, 120);
        Assert.True(lines.Count > 3);
        Assert.All(lines, l => Assert.True(measurer.Width(l, Styles.Body) <= 120, l));
        Assert.Equal(text.Replace(" ", ""), string.Concat(lines).Replace(" ", ""));
    }

    [Fact]
    public void Word_wrap_fills_each_line_as_far_as_the_next_word_allows_and_keeps_explicit_breaks()
    {
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        var words = Enumerable.Range(0, 60).Select(i => new string((char)('a' + i % 26), 1 + i % 9));
        var text = string.Join(" ", words) + "\nsecond paragraph";
        var lines = measurer.Wrap(text, Styles.Body, 150);

        Assert.Equal("second paragraph", lines[^1]);
        var body = lines.SkipLast(1).ToList();
        Assert.Equal(string.Join(" ", words), string.Join(" ", body)); // nothing lost, nothing added
        for (var i = 0; i < body.Count - 1; i++)
        {
            var next = body[i + 1].Split(' ')[0];
            Assert.True(measurer.Width(body[i], Styles.Body) <= 150, body[i]);
            Assert.True(measurer.Width(body[i] + " " + next, Styles.Body) > 150, $"'{next}' fits after '{body[i]}'");
        }
    }

    [Fact]
    public void Fonts_load_with_every_required_glyph_and_a_missing_glyph_stops_start_up()
    {
        var fonts = ReportFonts.Load(); // throws when a bundled typeface lacks one of RequiredCharacters
        ReportFonts.EnsureGlyphs(fonts.Bold, "bold", "Kaplan–Meier æøå ≥ ≤ ± χ² → …");
        // The subset has no CJK: a required character outside it must stop start-up rather than vanish from the page.
        var missing = Assert.Throws<InvalidOperationException>(() =>
            ReportFonts.EnsureGlyphs(fonts.Regular, "subset", "a中b文")
        );
        Assert.Equal("Report font 'subset' lacks glyphs for '中文'.", missing.Message);
    }

    [Theory]
    [InlineData(0.0004, "< 0.001")]
    [InlineData(0.00514, "0.005")]
    [InlineData(0.7538, "0.754")]
    [InlineData(null, "–")]
    public void P_values_print_to_three_decimals(double? p, string expected) =>
        Assert.Equal(expected, ReportFormat.P(p));

    [Fact]
    public void Numbers_round_half_away_from_zero_and_missing_is_a_dash()
    {
        Assert.Equal("66.7", ReportFormat.Percent(200 / 3.0));
        Assert.Equal("20 (66.7)", ReportFormat.CountPercent(20, 200 / 3.0));
        Assert.Equal("24/81 (29.6)", ReportFormat.Fraction(24, 81, 100.0 * 24 / 81));
        Assert.Equal("0.32 ± 0.36", ReportFormat.MeanSd(0.3213, 0.3612, 2));
        Assert.Equal("–", ReportFormat.MeanSd(null, null, 2));
        // A tie is judged on 15 significant digits, as R prints: −93/20 computed a few bits short is still −4.65.
        Assert.Equal("-4.7", ReportFormat.Number(-4.649999999999999, 1));
        Assert.Equal("-4.7", ReportFormat.Number(-93 / 20.0, 1));
        Assert.Equal("-4.6", ReportFormat.Number(-4.6499, 1));
        Assert.Equal("12.3", ReportFormat.Percent(12.249999999999998));
        Assert.Equal("0.047", ReportFormat.P(0.0465));
    }

    [Fact]
    public void A_line_never_breaks_at_a_no_break_space_and_it_prints_as_a_space()
    {
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        var text = "ODI at 3 months (" + ReportFormat.NText(17) + ") and " + ReportFormat.PText(0.0123);
        var width = measurer.Width("ODI at 3 months (n =", Styles.Body);
        var lines = measurer.Wrap(text, Styles.Body, width);
        Assert.Contains(lines, l => l.Contains(ReportFormat.NText(17)));
        Assert.DoesNotContain(
            lines,
            l => l.EndsWith("n", StringComparison.Ordinal) || l.EndsWith("=", StringComparison.Ordinal)
        );
        Assert.Equal(measurer.Width("n = 17", Styles.Body), measurer.Width(ReportFormat.NText(17), Styles.Body));
        var pdf = Write([new Paragraph(text, Styles.Body)], out _);
        Assert.Contains("(n = 17) and p = 0.012", PdfText.Read(pdf).All);
    }

    [Fact]
    public void A_value_that_rounds_to_zero_has_no_sign_and_counts_agree_with_their_noun()
    {
        Assert.Equal("0.00", ReportFormat.Number(-0.001, 2));
        Assert.Equal("-0.01", ReportFormat.Number(-0.005, 2));
        Assert.Equal("0.0 to 1.2", ReportFormat.Interval(-0.04, 1.2, 1));
        Assert.Equal(
            ("1 patient", "2 patients", "1 vertebra", "81 vertebrae"),
            (
                ReportFormat.Count(1, "patient"),
                ReportFormat.Count(2, "patient"),
                ReportFormat.Count(1, "vertebra", "vertebrae"),
                ReportFormat.Count(81, "vertebra", "vertebrae")
            )
        );
    }
}
