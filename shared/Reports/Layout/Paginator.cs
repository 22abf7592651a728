namespace PvpServerless.Reports.Layout;

public sealed record PlacedFragment(Fragment Fragment, float Top);

public sealed record LaidOutPage(IReadOnlyList<PlacedFragment> Items);

/// <summary>
/// Distributes fragments over pages of a given body height before anything is drawn, so the page count is known
/// for "Page n of N". Honours keep-with-next chains, forced breaks and repeated table headers.
/// </summary>
public static class Paginator
{
    public static IReadOnlyList<LaidOutPage> Paginate(IReadOnlyList<Fragment> fragments, float bodyHeight)
    {
        var pages = new List<LaidOutPage>();
        var current = new List<PlacedFragment>();
        var y = 0f;

        void NewPage()
        {
            pages.Add(new LaidOutPage(current));
            current = [];
            y = 0;
        }

        for (var i = 0; i < fragments.Count; i++)
        {
            var f = fragments[i];
            if (f.Height > bodyHeight)
                throw new InvalidOperationException(
                    $"A fragment of {f.Height:0.#} pt does not fit a page body of {bodyHeight:0.#} pt."
                );
            if (f.BreakBefore && current.Count > 0)
                NewPage();

            var space = current.Count == 0 ? 0 : f.SpaceBefore;
            var own = space + f.Height;
            var chain = own + ChainAfter(fragments, i);
            var fitsAlone = y + own <= bodyHeight;
            // Break when this fragment does not fit, or when its keep-with-next chain would fit on a fresh page.
            if (current.Count > 0 && (!fitsAlone || (y + chain > bodyHeight && chain - space <= bodyHeight)))
            {
                NewPage();
                space = 0;
            }
            if (current.Count == 0 && f.RepeatHeader is { } header && !ReferenceEquals(header, f))
            {
                current.Add(new PlacedFragment(header, 0));
                y = header.Height;
            }
            current.Add(new PlacedFragment(f, y + space));
            y += space + f.Height;
        }
        if (current.Count > 0 || pages.Count == 0)
            NewPage();
        return pages;
    }

    /// <summary>Height of the fragments that must follow fragment <paramref name="i"/> on the same page.</summary>
    private static float ChainAfter(IReadOnlyList<Fragment> fragments, int i)
    {
        var height = 0f;
        for (var j = i; fragments[j].KeepWithNext && j + 1 < fragments.Count && !fragments[j + 1].BreakBefore; j++)
            height += fragments[j + 1].SpaceBefore + fragments[j + 1].Height;
        return height;
    }
}
