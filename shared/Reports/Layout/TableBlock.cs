using SkiaSharp;

namespace PvpServerless.Reports.Layout;

public enum CellAlign
{
    Left,
    Right,
    Center,
}

/// <summary>A column: its share of the table width (weights are normalised) and its alignment.</summary>
public sealed record TableColumn(float Weight, CellAlign Align = CellAlign.Left);

/// <summary>
/// Group: a bold sub-heading row kept with the next row; Indented: first cell indented under a group.
/// </summary>
public enum RowKind
{
    Normal,
    Group,
    Indented,
}

public sealed record TableRow(IReadOnlyList<string> Cells, RowKind Kind = RowKind.Normal);

/// <summary>
/// A table with rules above and below the header and below the last row. Rows never split across pages; the header
/// row (when there is one) repeats at the top of every page the table continues on. Cells wrap within their column.
/// </summary>
public sealed record TableBlock(
    IReadOnlyList<TableColumn> Columns,
    IReadOnlyList<string>? Header,
    IReadOnlyList<TableRow> Rows
) : Block
{
    /// <summary>Share of the text column the table spans (label–value tables read better narrower).</summary>
    public float WidthFraction { get; init; } = 1f;

    /// <summary>Move the whole table to the next page rather than break it, when it fits on one page.</summary>
    public bool KeepRowsTogether { get; init; }

    private const float PadX = 4f,
        PadY = 2.6f,
        GroupIndent = 10f;
    private static readonly SKColor RuleColor = new(0xFF12355B),
        HairlineColor = new(0xFFD9DEE5);

    public override IReadOnlyList<Fragment> Layout(LayoutContext context)
    {
        var total = Columns.Sum(c => c.Weight);
        var widths = Columns.Select(c => c.Weight / total * context.Width * WidthFraction).ToArray();
        var lefts = new float[widths.Length];
        for (var i = 1; i < widths.Length; i++)
            lefts[i] = lefts[i - 1] + widths[i - 1];

        Fragment? header = Header is null
            ? null
            : Row(
                context,
                widths,
                lefts,
                Header,
                Styles.TableHeader,
                RowKind.Normal,
                isHeader: true,
                isLast: false,
                topRule: true
            ) with
            {
                KeepWithNext = true,
                SpaceBefore = SpaceBefore,
            };
        var fragments = new List<Fragment>();
        if (header is not null)
            fragments.Add(header);
        for (var r = 0; r < Rows.Count; r++)
        {
            var row = Rows[r];
            var style = row.Kind == RowKind.Group ? Styles.TableHeader : Styles.Table;
            var fragment = Row(
                context,
                widths,
                lefts,
                row.Cells,
                style,
                row.Kind,
                isHeader: false,
                isLast: r == Rows.Count - 1,
                topRule: header is null && r == 0
            );
            fragments.Add(
                fragment with
                {
                    RepeatHeader = header,
                    KeepWithNext = row.Kind == RowKind.Group || (KeepRowsTogether && r < Rows.Count - 1),
                    SpaceBefore = header is null && r == 0 ? SpaceBefore : 0,
                }
            );
        }
        return fragments;
    }

    private Fragment Row(
        LayoutContext context,
        float[] widths,
        float[] lefts,
        IReadOnlyList<string> cells,
        TextStyle style,
        RowKind kind,
        bool isHeader,
        bool isLast,
        bool topRule
    )
    {
        if (cells.Count > Columns.Count)
            throw new ArgumentException($"A row has {cells.Count} cells for {Columns.Count} columns.");
        var m = context.Measurer;
        var wrapped = new IReadOnlyList<string>[cells.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            var indent = c == 0 && kind == RowKind.Indented ? GroupIndent : 0;
            wrapped[c] = m.Wrap(cells[c], style, widths[c] - 2 * PadX - indent);
        }
        var lines = wrapped.Length == 0 ? 1 : wrapped.Max(w => w.Count);
        var height = lines * style.LineHeight + 2 * PadY;
        return new Fragment(
            height,
            (canvas, at) =>
            {
                for (var c = 0; c < cells.Count; c++)
                {
                    var indent = c == 0 && kind == RowKind.Indented ? GroupIndent : 0;
                    var align = Columns[c].Align;
                    // Header cells of numeric columns sit over their numbers; multi-line headers align to the bottom.
                    var firstLine = isHeader ? lines - wrapped[c].Count : 0;
                    for (var l = 0; l < wrapped[c].Count; l++)
                    {
                        var (x, skAlign) = align switch
                        {
                            CellAlign.Right => (at.X + lefts[c] + widths[c] - PadX, SKTextAlign.Right),
                            CellAlign.Center => (at.X + lefts[c] + widths[c] / 2, SKTextAlign.Center),
                            _ => (at.X + lefts[c] + PadX + indent, SKTextAlign.Left),
                        };
                        m.Draw(
                            canvas,
                            wrapped[c][l],
                            style,
                            x,
                            at.Y + PadY + (firstLine + l) * style.LineHeight,
                            skAlign
                        );
                    }
                }
                var right = at.X + widths.Sum();
                if (topRule)
                    Rule(canvas, at.X, right, at.Y, 1f, RuleColor);
                if (isHeader)
                    Rule(canvas, at.X, right, at.Y + height, 0.6f, RuleColor);
                else if (isLast)
                    Rule(canvas, at.X, right, at.Y + height, 1f, RuleColor);
                else
                    Rule(canvas, at.X, right, at.Y + height, 0.3f, HairlineColor);
            }
        );
    }

    private static void Rule(SKCanvas canvas, float left, float right, float y, float width, SKColor color)
    {
        using var paint = new SKPaint
        {
            Color = color,
            StrokeWidth = width,
            IsStroke = true,
            IsAntialias = true,
        };
        canvas.DrawLine(left, y, right, y, paint);
    }
}
