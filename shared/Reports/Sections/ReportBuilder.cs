using PvpServerless.Reports.Layout;

namespace PvpServerless.Reports.Sections;

/// <summary>Collects the blocks of the report in reading order, with the report's spacing conventions.</summary>
internal sealed class ReportBuilder(TextMeasurer measurer)
{
    private readonly List<Block> blocks = [];

    public TextMeasurer Measurer => measurer;
    public IReadOnlyList<Block> Blocks => blocks;

    public void Add(Block block) => blocks.Add(block);

    public void Section(string text) => blocks.Add(new Heading(text, Styles.Heading1) { SpaceBefore = 16 });

    public void Subsection(string text) => blocks.Add(new Heading(text, Styles.Heading2) { SpaceBefore = 10 });

    public void Text(string text, float spaceBefore = 4, bool keepWithNext = false) =>
        blocks.Add(new Paragraph(text, Styles.Body) { SpaceBefore = spaceBefore, KeepWithNext = keepWithNext });

    public void Small(string text, float spaceBefore = 3, bool keepWithNext = false) =>
        blocks.Add(new Paragraph(text, Styles.Small) { SpaceBefore = spaceBefore, KeepWithNext = keepWithNext });

    public void Bullet(string text) => blocks.Add(new Paragraph(text, Styles.Body, Bullet: true) { SpaceBefore = 2 });

    /// <summary>A plain statement of what cannot be computed yet, and why.</summary>
    public void NotYet(string what) =>
        blocks.Add(new Paragraph($"{ReportHeadings.NotYetComputable} {what}", Styles.Note) { SpaceBefore = 4 });

    /// <summary>A table; short ones (up to 15 rows) move whole to the next page instead of breaking.</summary>
    public void Table(
        IReadOnlyList<TableColumn> columns,
        IReadOnlyList<string>? header,
        IReadOnlyList<TableRow> rows,
        float spaceBefore = 6,
        float widthFraction = 1f
    ) =>
        blocks.Add(
            new TableBlock(columns, header, rows)
            {
                SpaceBefore = spaceBefore,
                WidthFraction = widthFraction,
                KeepRowsTogether = rows.Count <= 15,
            }
        );

    /// <summary>A figure and its caption on one page.</summary>
    public void Figure(GraphicBlock graphic, string caption) =>
        blocks.Add(
            new KeepTogether([new Heading(caption, Styles.Heading2), graphic with { SpaceBefore = 4 }])
            {
                SpaceBefore = 12,
            }
        );

    public void PageBreak() => blocks.Add(new PageBreak());

    public static TableRow Row(params string[] cells) => new(cells);

    public static TableRow Group(params string[] cells) => new(cells, RowKind.Group);

    public static TableRow Indented(params string[] cells) => new(cells, RowKind.Indented);
}
