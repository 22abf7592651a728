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
    public void A_heading_never_ends_a_page()
    {
        var filler = Enumerable.Range(0, 200).Select(_ => "filler").Aggregate((a, b) => a + " " + b);
        var blocks = new List<Block>();
        for (var i = 0; i < 12; i++)
        {
            blocks.Add(new Heading($"Heading-{i}", Styles.Heading1) { SpaceBefore = 12 });
            blocks.Add(new Paragraph(filler, Styles.Body));
        }
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        var fragments = blocks
            .SelectMany(b => b.Layout(new LayoutContext(measurer, new PageSetup().BodyWidth)))
            .ToList();
        var pages = Paginator.Paginate(fragments, new PageSetup().BodyHeight);
        Assert.True(pages.Count > 1);
        foreach (var page in pages)
        {
            Assert.False(
                page.Items[^1].Fragment.KeepWithNext && page != pages[^1],
                "a page ends with a keep-with-next fragment"
            );
            Assert.True(page.Items[^1].Top + page.Items[^1].Fragment.Height <= new PageSetup().BodyHeight + 0.01f);
        }
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
    public void Fonts_load_and_a_typeface_without_glyphs_fails_at_start_up()
    {
        var fonts = ReportFonts.Load();
        Assert.True(fonts.Regular.GlyphCount > 200);
        Assert.True(fonts.Bold.GlyphCount > 200);
        // The subset has no CJK: a required character outside it must stop start-up rather than vanish from the page.
        Assert.Throws<InvalidOperationException>(() => ReportFonts.EnsureGlyphs(fonts.Regular, "subset", "中"));
        Assert.Null(SKTypeface.FromData(SKData.Empty)); // what LoadTypeface turns into an exception
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
