using SkiaSharp;

namespace PvpServerless.Reports.Layout;

/// <summary>A heading: wrapped, never the last thing on a page.</summary>
public sealed record Heading(string Text, TextStyle Style) : Block
{
    public override IReadOnlyList<Fragment> Layout(LayoutContext context)
    {
        var lines = context.Measurer.Wrap(Text, Style, context.Width);
        var height = lines.Count * Style.LineHeight + Style.Size * 0.35f;
        return
        [
            new Fragment(
                height,
                (canvas, at) =>
                {
                    for (var i = 0; i < lines.Count; i++)
                        context.Measurer.Draw(canvas, lines[i], Style, at.X, at.Y + i * Style.LineHeight);
                }
            )
            {
                SpaceBefore = SpaceBefore,
                KeepWithNext = true,
            },
        ];
    }
}

/// <summary>
/// Wrapped text, breakable between lines. The first and the last two lines stay together so a page never holds a
/// lone line of a paragraph. <see cref="Bullet"/> hangs the text after a bullet.
/// </summary>
public sealed record Paragraph(string Text, TextStyle Style, bool Bullet = false) : Block
{
    private const float BulletIndent = 11f;

    /// <summary>
    /// Keep the last line with what follows (an introduction to a figure never ends a page on its own).
    /// </summary>
    public bool KeepWithNext { get; init; }

    public override IReadOnlyList<Fragment> Layout(LayoutContext context)
    {
        var indent = Bullet ? BulletIndent : 0f;
        var lines = context.Measurer.Wrap(Text, Style, context.Width - indent);
        var fragments = new List<Fragment>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var first = i == 0;
            fragments.Add(
                new Fragment(
                    Style.LineHeight,
                    (canvas, at) =>
                    {
                        if (Bullet && first)
                            context.Measurer.Draw(canvas, "•", Style, at.X + 2, at.Y);
                        context.Measurer.Draw(canvas, line, Style, at.X + indent, at.Y);
                    }
                )
                {
                    SpaceBefore = first ? SpaceBefore : 0,
                    KeepWithNext =
                        (lines.Count > 1 && (first || i == lines.Count - 2)) || (KeepWithNext && i == lines.Count - 1),
                }
            );
        }
        return fragments;
    }
}

/// <summary>A drawing of fixed height across the text column (a chart, a diagram); never split.</summary>
public sealed record GraphicBlock(float Height, Action<SKCanvas, SKRect> Draw) : Block
{
    public override IReadOnlyList<Fragment> Layout(LayoutContext context) =>
        [
            new Fragment(Height, (canvas, at) => Draw(canvas, SKRect.Create(at.X, at.Y, context.Width, Height)))
            {
                SpaceBefore = SpaceBefore,
            },
        ];
}

/// <summary>Blocks that must share a page (a figure and its caption): laid out as one fragment.</summary>
public sealed record KeepTogether(IReadOnlyList<Block> Blocks) : Block
{
    public override IReadOnlyList<Fragment> Layout(LayoutContext context)
    {
        var parts = Blocks.SelectMany(b => b.Layout(context)).ToList();
        var offsets = new List<float>(parts.Count);
        var y = 0f;
        foreach (var part in parts)
        {
            y += offsets.Count == 0 ? 0 : part.SpaceBefore;
            offsets.Add(y);
            y += part.Height;
        }
        return
        [
            new Fragment(
                y,
                (canvas, at) =>
                {
                    for (var i = 0; i < parts.Count; i++)
                        parts[i].Draw(canvas, new SKPoint(at.X, at.Y + offsets[i]));
                }
            )
            {
                SpaceBefore = SpaceBefore,
            },
        ];
    }
}

/// <summary>Starts a new page.</summary>
public sealed record PageBreak : Block
{
    public override IReadOnlyList<Fragment> Layout(LayoutContext context) =>
        [new Fragment(0, (_, _) => { }) { BreakBefore = true }];
}
