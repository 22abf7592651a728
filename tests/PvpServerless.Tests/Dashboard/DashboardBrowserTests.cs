using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PvpServerless.Tests.Browser;
using static Microsoft.Playwright.Assertions;
using static PvpServerless.Tests.Browser.PageChecks;

namespace PvpServerless.Tests.Dashboard;

/// <summary>
/// Issue 11's "done when" for the coordinator dashboard, in headless Chromium over the local host: patients enrolled,
/// invited and answering through the real API; every tile against <c>GET /api/followups/summary</c> and the list
/// behind it; a resend that lands in the outbox; a death that takes a patient off the overdue list; a corrected
/// response whose new scores show on the timeline. axe-core on every page; screenshots at laptop and tablet size in
/// both languages in artifacts/screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser, DashboardHostFixture host)
    : IClassFixture<DashboardHostFixture>
{
    private static readonly string[] Statuses =
    [
        "scheduled",
        "invited",
        "reminded",
        "answered",
        "overdue",
        "expired",
        "undeliverable",
        "failed",
        "skipped",
        "optedOut",
    ];

    private static ILocator Heading(IPage page) => page.Locator("h1");

    private static ILocator Row(IPage page, string studyId) => page.Locator($"tr[data-study-id='{studyId}']");

    [Fact]
    public async Task Every_tile_equals_the_summary_api_and_the_length_of_the_list_behind_it()
    {
        foreach (var id in new[] { "DSH-TILE-1", "DSH-TILE-2", "DSH-TILE-3" })
            await host.EnrolAndInviteAsync(id, "en");
        await host.StoreBaselineAsync("DSH-TILE-3");
        await using var tab = await browser.NewPageAsync(DashboardHostFixture.Laptop);
        var page = tab.Page;
        await host.SignInAsync(page);
        var summary = await host.SummaryAsync();

        var checkedTiles = 0;
        foreach (var wave in summary["waves"]!.AsArray())
        {
            var code = (string)wave!["wave"]!;
            foreach (var status in Statuses)
            {
                await page.GotoAsync($"{host.Url}/api/dashboard?lang=en");
                var tile = page.Locator($"#tile-{code}-{status}");
                var expected = (int)wave[status]!;
                await Expect(tile.Locator(".count")).ToHaveTextAsync(expected.ToString());
                await tile.ClickAsync();
                Assert.Equal((code, status, expected), (code, status, await ListLengthAsync(page)));
                checkedTiles++;
            }
        }
        Assert.Equal(30, checkedTiles);
        await page.GotoAsync($"{host.Url}/api/dashboard?lang=en");
        await Expect(page.Locator("#tile-poison .count"))
            .ToHaveTextAsync(((int)summary["invitationsPoison"]!).ToString());
        var rate = summary["waves"]![0]!["responseRate"]!;
        await Expect(page.Locator("#tile-baseline-rate .note"))
            .ToContainTextAsync($"{rate["responded"]}/{rate["eligible"]}");
        // The chart is drawn by the server: an SVG with its text alternative, and its table.
        await Expect(page.Locator("svg.chart title")).ToContainTextAsync("Response rate per calendar month");
        await Expect(page.Locator("details table th[scope=row]").First)
            .ToHaveTextAsync(DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        await AssertNoSeriousViolationsAsync(page);
        await AssertFitsWidthAsync(page);
        tab.AssertNoErrors();
    }

    /// <summary>The rows of a list page and of every page after it.</summary>
    private static async Task<int> ListLengthAsync(IPage page)
    {
        var rows = 0;
        while (true)
        {
            await Expect(Heading(page)).Not.ToBeEmptyAsync();
            rows += await page.Locator("#followups tbody tr").CountAsync();
            var next = page.Locator("#next-page");
            if (await next.CountAsync() == 0)
                return rows;
            await next.ClickAsync();
        }
    }

    [Fact]
    public async Task Resend_on_the_overdue_list_puts_a_new_invitation_in_the_outbox()
    {
        await host.EnrolAndInviteAsync("DSH-RESEND", "en");
        var before = (await host.OutboxAsync()).Count(m => (string)m!["to"]! == "dsh-resend@example.dk");
        await using var tab = await browser.NewPageAsync(DashboardHostFixture.Laptop);
        var page = tab.Page;
        await host.SignInAsync(page, "CD");
        await page.Locator("#tile-baseline-overdue").ClickAsync();
        var row = Row(page, "DSH-RESEND");
        await row.Locator("summary").ClickAsync();
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "dashboard-overdue-actions-en-laptop");
        await row.GetByRole(AriaRole.Button, new() { Name = "Resend" }).ClickAsync();

        await Expect(page.Locator(".notice")).ToHaveTextAsync("Done");
        await host.SendQueuedAsync();
        var sent = (await host.OutboxAsync()).Where(m => (string)m!["to"]! == "dsh-resend@example.dk").ToList();
        Assert.Equal(before + 1, sent.Count);
        Assert.All(sent, m => Assert.Equal("invitation", (string)m!["kind"]!));
        // The audit names the coordinator who pressed the button.
        Assert.Contains(
            await host.AuditAsync("DSH-RESEND"),
            a => a.GetString("Action") == "invitationResent" && a.GetString("Actor") == "coordinator:CD"
        );
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Recording_a_death_takes_the_patient_off_the_overdue_list()
    {
        await host.EnrolAndInviteAsync("DSH-DEATH", "da");
        await using var tab = await browser.NewPageAsync(DashboardHostFixture.Laptop);
        var page = tab.Page;
        await host.SignInAsync(page, "EF", "da");
        await page.Locator("#tile-baseline-overdue").ClickAsync();
        await Expect(Row(page, "DSH-DEATH")).ToHaveCountAsync(1);
        await Row(page, "DSH-DEATH").GetByRole(AriaRole.Link, new() { Name = "DSH-DEATH" }).ClickAsync();
        await Expect(Heading(page)).ToHaveTextAsync("DSH-DEATH");
        await page.Locator("#p-DSH-DEATH-death").FillAsync(DashboardHostFixture.Today);
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrér dødsfald" }).ClickAsync();

        await Expect(page.Locator(".notice")).ToHaveTextAsync("Udført");
        await Expect(page.Locator("#waves tr[data-wave=baseline] .status")).ToHaveTextAsync("Sprunget over (Død)");
        await AssertNoSeriousViolationsAsync(page);
        await page.GotoAsync($"{host.Url}/api/dashboard/followups?wave=baseline&status=overdue&lang=da");
        await Expect(Row(page, "DSH-DEATH")).ToHaveCountAsync(0);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task A_corrected_response_shows_its_new_scores_on_the_timeline()
    {
        await host.EnrolAndInviteAsync("DSH-CORRECT", "en");
        await host.StoreBaselineAsync("DSH-CORRECT");
        await using var tab = await browser.NewPageAsync(DashboardHostFixture.Laptop);
        var page = tab.Page;
        await host.SignInAsync(page, "GH");
        await page.Locator("#tile-baseline-answered").ClickAsync();
        await Row(page, "DSH-CORRECT").GetByRole(AriaRole.Link, new() { Name = "DSH-CORRECT" }).ClickAsync();
        var history = page.Locator("#history .scores");
        await Expect(history.Last).ToHaveTextAsync("EQ-5D 0.321 · VAS 40");

        // 3L state 12123, VAS 75: 1 − 0.114 − 0.063 − 0.062 − 0.367 = 0.394 (SurveyBrowserTests, by hand).
        await page.Locator("#correct-baseline summary").ClickAsync();
        foreach (
            var (dimension, level) in new[]
            {
                ("mobility", 1),
                ("selfCare", 2),
                ("usualActivities", 1),
                ("pain", 2),
                ("anxiety", 3),
            }
        )
            await page.Locator($"#c-baseline-{dimension}").FillAsync(level.ToString());
        await page.Locator("#c-baseline-vas").FillAsync("75");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "dashboard-correct-en-laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the correction" }).ClickAsync();

        await Expect(page.Locator(".notice")).ToHaveTextAsync("Done");
        // In words, with who did it (the code stays in data-action).
        var corrected = page.Locator("#history tr[data-action=responseCorrected]");
        await Expect(corrected).ToHaveCountAsync(1);
        await Expect(corrected).ToContainTextAsync("Coordinator GH");
        await Expect(corrected).ToContainTextAsync("Response corrected");
        await Expect(history.Last).ToHaveTextAsync("EQ-5D 0.394 · VAS 75");
        tab.AssertNoErrors();
    }

    [Theory]
    [InlineData("en", "laptop")]
    [InlineData("da", "laptop")]
    [InlineData("en", "tablet")]
    [InlineData("da", "tablet")]
    public async Task Every_page_passes_axe_fits_the_screen_and_is_kept_as_a_screenshot(string lang, string screen)
    {
        var id = $"DSH-SHOT-{lang}-{screen}".ToUpperInvariant();
        await host.EnrolAndInviteAsync(id, lang);
        await host.StoreBaselineAsync(id);
        var viewport = screen == "laptop" ? DashboardHostFixture.Laptop : DashboardHostFixture.Tablet;
        await using var tab = await browser.NewPageAsync(viewport);
        var page = tab.Page;
        await page.GotoAsync(await host.SignInLinkAsync(lang));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Check(page, $"dashboard-sign-in-{lang}-{screen}");
        await page.Locator("#initials").FillAsync("IJ");
        await page.Keyboard.PressAsync("Tab");
        await AssertVisibleFocusAsync(page.Locator("form.sign-in button"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".who")).ToContainTextAsync("IJ");
        await Check(page, $"dashboard-overview-{lang}-{screen}");
        await page.Locator("#tile-baseline-answered").ClickAsync();
        await Check(page, $"dashboard-list-{lang}-{screen}");
        await Row(page, id).GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Check(page, $"dashboard-patient-{lang}-{screen}");
        // The language switch keeps the page.
        await page.Locator(".languages a").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang == "en" ? "da" : "en");
        await Expect(Heading(page)).ToHaveTextAsync(id);
        tab.AssertNoErrors();
    }

    private static async Task Check(IPage page, string name)
    {
        await AssertNoSeriousViolationsAsync(page);
        await AssertFitsWidthAsync(page);
        await SaveScreenshotAsync(page, name);
    }
}
