using PvpServerless.Reports;
using PvpServerless.Reports.Layout;
using SkiaSharp;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// Our layout engine: the paginator over fragments of known heights (placements written out by hand), and tables and
/// paragraphs laid out with the report's fonts: rows never split, headers repeated, keep-with-next honoured.
/// </summary>
public sealed class PaginationTests
{
    private static Fragment F(float height, float space = 0, bool keep = false, bool breakBefore = false) =>
        new(height, (_, _) => { })
        {
            SpaceBefore = space,
            KeepWithNext = keep,
            BreakBefore = breakBefore,
        };

    /// <summary>The pages as "name@top" per fragment, pages separated by " | ".</summary>
    private static string Paginate(float bodyHeight, params (string Name, Fragment Fragment)[] fragments)
    {
        var names = new Dictionary<Fragment, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, fragment) in fragments)
        {
            names[fragment] = name;
            if (fragment.RepeatHeader is { } header)
                names.TryAdd(header, "header");
        }
        var pages = Paginator.Paginate(fragments.Select(f => f.Fragment).ToList(), bodyHeight);
        return string.Join(
            " | ",
            pages.Select(p => string.Join(" ", p.Items.Select(i => $"{names[i.Fragment]}@{i.Top:0.##}")))
        );
    }

    [Fact]
    public void Fragments_fill_a_page_in_order_and_space_before_is_dropped_at_the_top()
    {
        var placed = Paginate(100, ("a", F(30, 5)), ("b", F(30, 5)), ("c", F(30, 5)), ("d", F(30, 5)), ("e", F(30, 5)));
        // c ends exactly at the bottom (70 + 30 = 100); d would not fit and starts the next page without its space.
        Assert.Equal("a@0 b@35 c@70 | d@0 e@35", placed);
    }

    [Fact]
    public void A_keep_with_next_fragment_moves_to_the_next_page_with_what_follows()
    {
        Assert.Equal(
            "p1@0 p2@30 | heading@0 line@20",
            Paginate(100, ("p1", F(30)), ("p2", F(30)), ("heading", F(20, keep: true)), ("line", F(30)))
        );
        // Without keep-with-next the heading would stay at the foot of the first page.
        Assert.Equal(
            "p1@0 p2@30 heading@60 | line@0",
            Paginate(100, ("p1", F(30)), ("p2", F(30)), ("heading", F(20)), ("line", F(30)))
        );
        // A chain of keep-with-next fragments moves as a whole.
        Assert.Equal(
            "p1@0 | h1@0 h2@20 line@40",
            Paginate(100, ("p1", F(50)), ("h1", F(20, keep: true)), ("h2", F(20, keep: true)), ("line", F(40)))
        );
    }

    [Fact]
    public void A_forced_break_starts_a_new_page_but_never_an_empty_one()
    {
        Assert.Equal("a@0 | b@0", Paginate(100, ("a", F(10)), ("b", F(10, breakBefore: true))));
        Assert.Equal("a@0 b@10", Paginate(100, ("a", F(10, breakBefore: true)), ("b", F(10))));
    }

    [Fact]
    public void A_repeated_header_opens_every_page_its_rows_continue_on()
    {
        var header = F(20, keep: true);
        Fragment Row() => F(30) with { RepeatHeader = header };
        Assert.Equal(
            "header@0 r1@20 r2@50 | header@0 r3@20 r4@50 | header@0 r5@20",
            Paginate(100, ("header", header), ("r1", Row()), ("r2", Row()), ("r3", Row()), ("r4", Row()), ("r5", Row()))
        );
    }

    [Fact]
    public void No_fragments_give_one_empty_page_and_a_fragment_taller_than_a_page_is_refused()
    {
        Assert.Empty(Assert.Single(Paginator.Paginate([], 100)).Items);
        var e = Assert.Throws<InvalidOperationException>(() => Paginator.Paginate([F(10), F(100.5f)], 100));
        Assert.Contains("100.5 pt", e.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<LaidOutPage> Lay(IReadOnlyList<Block> blocks, out IReadOnlyList<Fragment> fragments)
    {
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        var setup = new PageSetup();
        fragments = blocks.SelectMany(b => b.Layout(new LayoutContext(measurer, setup.BodyWidth))).ToList();
        return Paginator.Paginate(fragments, setup.BodyHeight);
    }

    [Fact]
    public void A_long_table_keeps_each_row_whole_on_one_page_and_repeats_its_header()
    {
        // Every fifth row has a cell of three lines (explicit line breaks), so rows differ in height.
        var rows = Enumerable
            .Range(0, 120)
            .Select(i => new TableRow([$"Row {i}", i % 5 == 0 ? "one\ntwo\nthree" : "one"]))
            .ToList();
        var pages = Lay([new TableBlock([new(1), new(1)], ["Name", "Value"], rows)], out var fragments);

        var header = fragments[0];
        Assert.Equal(121, fragments.Count); // the header, then one unbreakable fragment per row
        // Row height = lines × line height (9 pt × 1.3) + 2 × 2.6 pt padding.
        Assert.Equal(3 * 11.7f + 5.2f, fragments[1].Height, 0.01f);
        Assert.Equal(1 * 11.7f + 5.2f, fragments[2].Height, 0.01f);

        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        var bodyHeight = new PageSetup().BodyHeight;
        var placedRows = new List<Fragment>();
        foreach (var page in pages)
        {
            Assert.Same(header, page.Items[0].Fragment); // first page: the header itself; then its repetition
            Assert.Equal(0, page.Items[0].Top);
            Assert.All(page.Items.Skip(1), item => Assert.NotSame(header, item.Fragment));
            Assert.All(page.Items, item => Assert.True(item.Top + item.Fragment.Height <= bodyHeight + 0.01f));
            placedRows.AddRange(page.Items.Skip(1).Select(i => i.Fragment));
        }
        Assert.Equal(fragments.Skip(1), placedRows); // every row exactly once, in order
    }

    [Fact]
    public void A_group_row_never_ends_a_page()
    {
        var rows = new List<TableRow>();
        for (var g = 0; g < 4; g++)
        {
            rows.Add(new TableRow([$"Group {g}", ""], RowKind.Group));
            rows.AddRange(Enumerable.Range(0, 3).Select(i => new TableRow([$"item {i}", "1"], RowKind.Indented)));
        }
        var bodyHeight = new PageSetup().BodyHeight;
        var moved = 0;
        // Slide the table down the page so that every row, group rows included, comes to the foot in some run.
        for (var fill = bodyHeight - 260; fill < bodyHeight; fill += 3.1f)
        {
            var filler = new GraphicBlock(fill, (_, _) => { });
            var pages = Lay([filler, new TableBlock([new(1), new(1)], null, rows)], out var fragments);
            Assert.Equal(2, pages.Count);
            var last = fragments.ToList().FindIndex(f => ReferenceEquals(f, pages[0].Items[^1].Fragment)) - 1;
            Assert.True(last < 0 || rows[last].Kind != RowKind.Group, $"filler {fill}: page 1 ends with a group row");
            if (
                rows[fragments.ToList().FindIndex(f => ReferenceEquals(f, pages[1].Items[0].Fragment)) - 1].Kind
                == RowKind.Group
            )
                moved++;
        }
        Assert.True(moved > 3, "a group row opened the second page in several runs");
    }

    [Fact]
    public void A_table_kept_together_moves_whole_to_the_next_page()
    {
        var bodyHeight = new PageSetup().BodyHeight;
        // 20 rows after a filler that leaves room for about 5: kept together, they all go to the next page.
        var small = Enumerable.Range(0, 20).Select(i => new TableRow([$"r{i}", "1"])).ToList();
        var room = new GraphicBlock(bodyHeight - 90, (_, _) => { });
        var kept = Lay([room, new TableBlock([new(1), new(1)], null, small) { KeepRowsTogether = true }], out _);
        Assert.Equal(2, kept.Count);
        Assert.Single(kept[0].Items);
        Assert.Equal(20, kept[1].Items.Count);
        var loose = Lay([room, new TableBlock([new(1), new(1)], null, small)], out _);
        Assert.True(loose[0].Items.Count > 1, "without KeepRowsTogether rows fill the first page");
    }

    [Fact]
    public void A_paragraph_never_leaves_a_single_line_at_the_foot_or_the_top_of_a_page()
    {
        var text = string.Join("\n", Enumerable.Range(1, 10).Select(i => $"line {i}"));
        var bodyHeight = new PageSetup().BodyHeight;
        var splits = 0;
        for (var fill = 0f; fill < bodyHeight; fill += 4.1f)
        {
            var pages = Lay([new GraphicBlock(fill, (_, _) => { }), new Paragraph(text, Styles.Body)], out var f);
            Assert.Equal(11, f.Count);
            var linesPerPage = pages.Select(p => p.Items.Count(i => !ReferenceEquals(i.Fragment, f[0]))).ToList();
            Assert.Equal(10, linesPerPage.Sum());
            var message = $"filler {fill}: lines per page {string.Join(", ", linesPerPage)}";
            Assert.All(linesPerPage, n => Assert.True(n is 0 or >= 2, message));
            if (linesPerPage.Count(n => n > 0) > 1)
                splits++;
        }
        Assert.True(splits > 10, "the paragraph was split across pages in many positions");
    }

    [Fact]
    public void A_heading_and_the_first_lines_after_it_share_a_page()
    {
        var filler = string.Join(" ", Enumerable.Repeat("filler", 200));
        var blocks = new List<Block>();
        for (var i = 0; i < 12; i++)
        {
            blocks.Add(new Heading($"Heading {i}", Styles.Heading1) { SpaceBefore = 12 });
            blocks.Add(new Paragraph(filler, Styles.Body));
        }
        var pages = Lay(blocks, out var fragments);
        Assert.True(pages.Count > 2);
        var headings = fragments.Where(f => f.KeepWithNext && f.Height > Styles.Body.LineHeight).ToList();
        Assert.Equal(12, headings.Count);
        foreach (var page in pages)
        {
            for (var i = 0; i < page.Items.Count; i++)
            {
                if (!headings.Contains(page.Items[i].Fragment, ReferenceEqualityComparer.Instance))
                    continue;
                // Followed on the same page by at least the two first lines of its paragraph.
                Assert.True(page.Items.Count - i - 1 >= 2, $"a heading with {page.Items.Count - i - 1} lines below");
            }
        }
    }

    [Fact]
    public void Each_fragment_is_drawn_at_its_place_inside_the_margins_and_pages_know_their_count()
    {
        var setup = new PageSetup();
        var drawn = new List<SKPoint>();
        var decorated = new List<(int Page, int Of)>();
        var blocks = Enumerable
            .Range(0, 3)
            .Select(i => (Block)new GraphicBlock(setup.BodyHeight * 0.4f, (_, rect) => drawn.Add(rect.Location)))
            .ToList();
        using var measurer = new TextMeasurer(ReportFonts.Shared);
        using var stream = new MemoryStream();
        var pages = PdfDocumentWriter.Write(
            stream,
            blocks,
            setup,
            measurer,
            (_, _, page, of) => decorated.Add((page, of)),
            new SKDocumentPdfMetadata()
        );
        Assert.Equal(2, pages);
        // Two fit on the first page (0.8 of the body), the third starts the second; x and y from the margins.
        Assert.Equal([new SKPoint(54, 62), new SKPoint(54, 62 + setup.BodyHeight * 0.4f), new SKPoint(54, 62)], drawn);
        Assert.Equal([(1, 2), (2, 2)], decorated);
    }
}
