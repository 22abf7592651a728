using Azure.Data.Tables;
using Microsoft.Playwright;
using PvpServerless.Email;
using static Microsoft.Playwright.Assertions;
using static PvpServerless.Tests.Browser.PageChecks;

namespace PvpServerless.Tests.Browser;

/// <summary>
/// The questionnaire link of a real invitation (enrolled through the API, scheduled, sent to the outbox) in headless
/// Chromium over the local host, to a stored, scored response: by mouse, by keyboard alone, on a phone, in Danish,
/// with an item missing, twice, after the window closed; axe-core on every page; screenshots in
/// artifacts/screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SurveyBrowserTests(BrowserFixture browser, BrowserHostFixture host)
    : IClassFixture<BrowserHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 3L state 21232, VAS 40; ODI 3,2,1,2,0,4,1,(section 8 skipped),2,3: index 1 − 0.114 − 0.053 − 0.048 − 0.396
    // − 0.068 = 0.321, ODI 100 · 18 / 45 = 40.
    private static readonly SurveyAnswers ByMouse = new([2, 1, 2, 3, 2], "40", [3, 2, 1, 2, 0, 4, 1, null, 2, 3]);

    private static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    private static ILocator Submit(IPage page) => page.Locator("button.submit");

    /// <summary>Clicks the button and returns the status of the page the post brought.</summary>
    private static async Task<int> SendAsync(IPage page, Func<Task> send)
    {
        var response = await page.RunAndWaitForResponseAsync(send, r => r.Request.Method == "POST");
        await page.WaitForLoadStateAsync();
        return response.Status;
    }

    [Fact]
    public async Task A_patient_answers_the_emailed_link_by_mouse_and_the_coordinator_sees_the_wave_scored()
    {
        var email = await host.EnrolAndInviteAsync("BRW-SRV-MOUSE", "en");
        await using var tab = await browser.NewPageAsync(Viewport.Desktop);
        var page = tab.Page;

        var opened = await page.GotoAsync(BrowserHostFixture.SurveyLink(email));
        Assert.Equal(200, opened?.Status);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Heading(page)).ToHaveTextAsync("Questionnaire about your health");
        await ByMouse.FillAsync(page);
        foreach (var id in ByMouse.RadioIds())
            await Expect(page.Locator("#" + id)).ToBeCheckedAsync();
        var status = await SendAsync(page, () => Submit(page).ClickAsync());

        Assert.Equal(200, status);
        await Expect(Heading(page)).ToHaveTextAsync("Thank you for your answers");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "survey-thanks-en-desktop");
        Assert.Equal(0.321, ByMouse.ExpectedIndex, 9);
        await ByMouse.AssertAnsweredAsync(host.Client, "BRW-SRV-MOUSE", Ct);
        Assert.Single(await ResponsesAsync("BRW-SRV-MOUSE"));
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task A_link_opened_after_its_window_closed_or_never_sent_gets_a_friendly_page_in_both_languages()
    {
        var email = await host.EnrolAndInviteAsync("BRW-SRV-LATE", "da");
        await using var tab = await browser.NewPageAsync(Viewport.Phone);
        var page = tab.Page;
        var link = BrowserHostFixture.SurveyLink(email);
        await page.GotoAsync(link);
        await ByMouse.FillAsync(page, touch: true);

        // The days pass while the page lies open: the link's last day is now the day before yesterday.
        await CloseWindowAsync(link);
        var status = await SendAsync(page, () => Submit(page).TapAsync());

        Assert.Equal(410, status);
        await Expect(Heading(page)).ToHaveTextAsync("Spørgeskemaet er lukket");
        await Expect(page.Locator("section.other-language[lang='en'] h2")).ToHaveTextAsync(
            "This questionnaire has closed"
        );
        Assert.Empty(await ResponsesAsync("BRW-SRV-LATE"));
        var again = await page.GotoAsync(link);
        Assert.Equal(410, again?.Status);
        await Expect(Heading(page)).ToHaveTextAsync("Spørgeskemaet er lukket");
        await Expect(page.Locator("form")).ToHaveCountAsync(0);
        await AssertFitsWidthAsync(page);
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "survey-closed-da-phone");

        // A link that was never sent (or not copied in full).
        var unknown = await page.GotoAsync($"{host.Url}/api/survey/{SurveyToken.New().Value}?lang=en");
        Assert.Equal(404, unknown?.Status);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Heading(page)).ToHaveTextAsync("We cannot find this link");
        await AssertFitsWidthAsync(page);
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "survey-not-found-en-phone");
        tab.AssertNoErrors();
    }

    // The host runs its own clock; the days passing are its token row's last day moved back (docs/survey.md,
    // "States of a link": closed once ClosesOn has passed).
    private async Task CloseWindowAsync(string link)
    {
        Assert.True(SurveyToken.TryParse(new Uri(link).Segments[^1], out var token));
        var closed = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);
        await host.Storage.Tokens.UpdateEntityAsync(
            new TableEntity(token.Hash, "token") { ["ClosesOn"] = closed.ToString("yyyy-MM-dd") },
            Azure.ETag.All,
            TableUpdateMode.Merge,
            Ct
        );
    }

    private async Task<List<TableEntity>> ResponsesAsync(string studyId) =>
        await host
            .Storage.Patients.QueryAsync<TableEntity>(
                $"PartitionKey eq '{studyId}' and RowKey ge 'response|' and RowKey lt 'response|~'",
                cancellationToken: Ct
            )
            .ToListAsync(Ct);
}
