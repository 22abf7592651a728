using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Browser;

/// <summary>
/// What every browser test checks on a page (<c>using static PvpServerless.Tests.Browser.PageChecks;</c>):
/// accessibility by axe-core, visible focus, no sideways scrolling, and screenshots kept as test artefacts.
/// </summary>
public static partial class PageChecks
{
    /// <summary>Where screenshots go: <c>artifacts/screenshots/</c> at the repository root (git ignores it).</summary>
    public static string ScreenshotFolder => Path.Combine(AzuriteFixture.RepoRoot, "artifacts", "screenshots");

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ScreenshotName();

    /// <summary>
    /// The whole page (not just the window) as <c>{name}.png</c> in <see cref="ScreenshotFolder"/>, replacing an
    /// older one; the path goes to the test output. Name it after page, state, language and viewport, e.g.
    /// <c>opt-out-confirm-da-phone</c>.
    /// </summary>
    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        if (!ScreenshotName().IsMatch(name))
            throw new ArgumentException($"'{name}': use lower-case letters, digits, '-' and '.'.", nameof(name));
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(
            new PageScreenshotOptions
            {
                Path = path,
                FullPage = true,
                Animations = ScreenshotAnimations.Disabled,
            }
        );
        TestContext.Current.TestOutputHelper?.WriteLine("screenshot: " + path);
        return path;
    }

    /// <summary>
    /// Runs axe-core (every rule it has, offline, inside the page) and fails listing rule, impact, element and help
    /// for each violation of impact serious or critical. Lesser ones go to the test output. The result is returned
    /// for further checks.
    /// </summary>
    public static async Task<AxeResult> AssertNoSeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var minor in result.Violations.Except(serious))
            TestContext.Current.TestOutputHelper?.WriteLine("axe (" + minor.Impact + "): " + Describe(minor));
        Assert.True(
            serious.Count == 0,
            $"axe-core found {serious.Count} serious or critical violation(s) on {page.Url}:\n"
                + string.Join("\n", serious.Select(Describe))
        );
        return result;
    }

    private static string Describe(AxeResultItem violation)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help}");
        sb.Append(CultureInfo.InvariantCulture, $" <{violation.HelpUrl}>");
        foreach (var node in violation.Nodes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n    element {node.Target}: {node.Html}");
            // What axe found wrong there: every failed check of "all" and "none", and those of "any" (one must pass).
            var checks = (node.All ?? []).Concat(node.None ?? []).Concat(node.Any ?? []);
            foreach (var check in checks.Where(c => !string.IsNullOrWhiteSpace(c.Message)))
                sb.Append("\n      ").Append(check.Message);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The element has focus and shows it: an outline of at least 2 px that is not hidden (WCAG 2.4.7).
    /// </summary>
    public static async Task AssertVisibleFocusAsync(ILocator element)
    {
        await Assertions.Expect(element).ToBeFocusedAsync();
        var outline = await element.EvaluateAsync<string>(
            "e => { const s = getComputedStyle(e); return s.outlineStyle + ' ' + parseFloat(s.outlineWidth); }"
        );
        var parts = outline.Split(' ');
        Assert.True(
            parts[0] != "none" && double.Parse(parts[1], CultureInfo.InvariantCulture) >= 2,
            $"The focused element shows no focus outline of 2 px or more (outline: {outline})."
        );
    }

    /// <summary>Nothing sticks out sideways: the page never scrolls horizontally at this width (WCAG 1.4.10).</summary>
    public static async Task AssertFitsWidthAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        );
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide in a {widths[1]} px window.");
    }
}
