using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PvpServerless.Tests.Browser;

/// <summary>
/// The browser tests: one Chromium for the run (<see cref="BrowserFixture"/>); the classes of this collection run one
/// after another, beside the other collections.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// One headless Chromium (Debian's, at <see cref="ChromiumPath"/>) driven by Playwright, started once for the test
/// run; each test takes a fresh context and page from <see cref="NewPageAsync"/>. Never skipped: without the browser
/// every browser test fails and says how to get it (README, "Tests").
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Playwright must never download a browser of its own (it cannot here). This machine reaches no network but
    // loopback: Chromium's own background traffic (updates, sync, safe browsing) would only be refused.
    private static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not running.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}, and it is missing. "
                    + "Run ./test, which installs it (apt-get install --no-install-recommends chromium), "
                    + "or install that package by hand."
            );
        }
        // A shared 2-core machine can be slow: wait longer than Playwright's 5 s before an assertion gives up.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = Arguments,
            }
        );
    }

    /// <summary>
    /// A fresh context (no cookies, no cache) with one page at <paramref name="viewport"/>; relative addresses in
    /// <c>GotoAsync</c> resolve against <paramref name="baseUrl"/>. Dispose it at the end of the test.
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(Viewport viewport, string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
                DeviceScaleFactor = viewport.DeviceScaleFactor,
                IsMobile = viewport.IsMobile,
                HasTouch = viewport.HasTouch,
                BaseURL = baseUrl,
            }
        );
        context.SetDefaultTimeout(30_000);
        return new BrowserPage(context, await context.NewPageAsync(), viewport);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// One test's page in a context of its own, at its <see cref="Viewport"/>. Collects what the browser reports as an
/// error (console errors, uncaught script errors, refused loads such as a Content-Security-Policy violation).
/// </summary>
public sealed partial class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<(string Text, string Url)> _errors = [];
    private readonly HashSet<string> _documents = [];

    internal BrowserPage(IBrowserContext context, IPage page, Viewport viewport)
    {
        _context = context;
        Page = page;
        Viewport = viewport;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                Add($"console: {message.Text} ({message.Location})", LocationUrl().Replace(message.Location, ""));
        };
        page.PageError += (_, error) => Add("script: " + error, "");
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "document")
            {
                lock (_errors)
                    _documents.Add(response.Url);
            }
        };
    }

    public IPage Page { get; }

    public Viewport Viewport { get; }

    /// <summary>
    /// Errors the browser reported so far, in order; not the note it logs for a page whose own status is 4xx (a 404
    /// or 422 page is the test's to expect), but any stylesheet, script or image that failed to load.
    /// </summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
                return [.. _errors.Where(e => !IsAPagesOwnStatus(e)).Select(e => e.Text)];
        }
    }

    // Chromium logs "Failed to load resource" for a page (document) answered with 4xx too, at the page's address.
    private bool IsAPagesOwnStatus((string Text, string Url) error) =>
        error.Text.StartsWith(FailedToLoad, StringComparison.Ordinal) && _documents.Contains(error.Url);

    private const string FailedToLoad = "console: Failed to load resource:";

    // A console message's location is "url:line:column".
    [GeneratedRegex(@":\d+:\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex LocationUrl();

    /// <summary>Fails listing every error the browser reported (e.g. a style or script refused by the CSP).</summary>
    public void AssertNoErrors() =>
        Assert.True(Errors.Count == 0, "The browser reported:\n" + string.Join("\n", Errors));

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Add(string error, string url)
    {
        lock (_errors)
            _errors.Add((error, url));
    }
}
