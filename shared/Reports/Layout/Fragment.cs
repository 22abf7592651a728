using SkiaSharp;

namespace PvpServerless.Reports.Layout;

/// <summary>
/// An unbreakable piece of laid-out content (a line of a paragraph, a table row, a chart), placed whole on one page.
/// <see cref="Draw"/> receives the canvas and the fragment's top-left corner on the page.
/// </summary>
public sealed record Fragment(float Height, Action<SKCanvas, SKPoint> Draw)
{
    /// <summary>Gap above the fragment; dropped at the top of a page.</summary>
    public float SpaceBefore { get; init; }

    /// <summary>Never end a page after this fragment (headings, table headers, group rows).</summary>
    public bool KeepWithNext { get; init; }

    /// <summary>Start a new page before this fragment.</summary>
    public bool BreakBefore { get; init; }

    /// <summary>Drawn first when this fragment lands at the top of a page (a table's header row).</summary>
    public Fragment? RepeatHeader { get; init; }
}

/// <summary>What a block needs to lay itself out: the text measurer and the width of the text column.</summary>
public sealed record LayoutContext(TextMeasurer Measurer, float Width);

/// <summary>A unit of report content that lays itself out as fragments for the paginator.</summary>
public abstract record Block
{
    public float SpaceBefore { get; init; }

    public abstract IReadOnlyList<Fragment> Layout(LayoutContext context);
}
