using Microsoft.Playwright;
using PvpServerless.Email;
using static Microsoft.Playwright.Assertions;
using static PvpServerless.Tests.Browser.PageChecks;

namespace PvpServerless.Tests.Browser;

/// <summary>
/// The opt-out link of a real invitation (enrolled through the API, scheduled, sent to the outbox) in headless
/// Chromium over the local host: both languages, by mouse, by keyboard alone, on a phone; axe-core on every page;
/// screenshots in artifacts/screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OptOutBrowserTests(BrowserFixture browser, BrowserHostFixture host)
    : IClassFixture<BrowserHostFixture>
{
    private static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    private static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    [Fact]
    public async Task A_danish_patient_opens_the_emailed_link_reads_it_in_both_languages_and_stops_the_emails()
    {
        var email = await host.EnrolAndInviteAsync("BRW-DA-1", "da");
        await using var tab = await browser.NewPageAsync(Viewport.Desktop);
        var page = tab.Page;

        var response = await page.GotoAsync(BrowserHostFixture.OptOutLink(email));
        Assert.Equal(200, response?.Status);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "da");
        await Expect(Heading(page)).ToHaveTextAsync("Ingen flere e-mails om spørgeskemaet");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "opt-out-confirm-da-desktop");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Heading(page)).ToHaveTextAsync("No more e-mails about the questionnaire");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dansk" })).ToHaveAttributeAsync("lang", "da");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "opt-out-confirm-en-desktop");
        Assert.Null(await OptedOutAtAsync("BRW-DA-1"));

        await Button(page, "Yes, stop the e-mails").ClickAsync();
        await Expect(Heading(page)).ToHaveTextAsync("Thank you");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "opt-out-thanks-en-desktop");
        await AssertOptedOutByThePatientAsync("BRW-DA-1");

        // The link again, another day: it says so in the patient's language and has no button.
        await page.GotoAsync(BrowserHostFixture.OptOutLink(email));
        await Expect(Heading(page)).ToHaveTextAsync("Du har allerede sagt fra");
        await Expect(page.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "opt-out-already-da-desktop");
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task The_keyboard_alone_reaches_the_button_with_visible_focus_and_enter_confirms()
    {
        var email = await host.EnrolAndInviteAsync("BRW-KEY-1", "da");
        await using var tab = await browser.NewPageAsync(Viewport.Desktop);
        var page = tab.Page;
        await page.GotoAsync(BrowserHostFixture.OptOutLink(email));

        // The order a keyboard user meets: the language switch, then the one button.
        await page.Keyboard.PressAsync("Tab");
        await AssertVisibleFocusAsync(page.GetByRole(AriaRole.Link, new() { Name = "English" }));
        await page.Keyboard.PressAsync("Tab");
        await AssertVisibleFocusAsync(Button(page, "Ja, stop e-mails"));
        await SaveScreenshotAsync(page, "opt-out-focus-da-desktop");
        await page.Keyboard.PressAsync("Enter");

        await Expect(Heading(page)).ToHaveTextAsync("Tak");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "opt-out-thanks-da-desktop");
        await AssertOptedOutByThePatientAsync("BRW-KEY-1");
        tab.AssertNoErrors();
    }

    [Theory]
    [InlineData("da", "Ja, stop e-mails", "Tak")]
    [InlineData("en", "Yes, stop the e-mails", "Thank you")]
    public async Task On_a_phone_the_page_fits_reads_large_and_a_tap_confirms(
        string language,
        string button,
        string thanks
    )
    {
        var studyId = "BRW-PHONE-" + language.ToUpperInvariant();
        var email = await host.EnrolAndInviteAsync(studyId, language);
        await using var tab = await browser.NewPageAsync(Viewport.Phone);
        var page = tab.Page;
        await page.GotoAsync(BrowserHostFixture.OptOutLink(email));

        await AssertFitsWidthAsync(page);
        var bodyText = await page.Locator("main p")
            .First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(bodyText >= 18, $"Body text is {bodyText} px on a phone; at least 18 px is wanted.");
        // A thumb's target: 44 × 44 CSS pixels at least (WCAG 2.5.5).
        var box = await Button(page, button).BoundingBoxAsync();
        Assert.True(box is { Width: >= 44, Height: >= 44 }, $"The button is {box?.Width} × {box?.Height} px.");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, $"opt-out-confirm-{language}-phone");

        await Button(page, button).TapAsync();
        await Expect(Heading(page)).ToHaveTextAsync(thanks);
        await AssertFitsWidthAsync(page);
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, $"opt-out-thanks-{language}-phone");
        await AssertOptedOutByThePatientAsync(studyId);
        tab.AssertNoErrors();
    }

    [Theory]
    [InlineData("da", "Vi kan ikke finde dette link")]
    [InlineData("en", "We cannot find this link")]
    public async Task A_link_that_was_not_copied_in_full_gets_a_readable_page(string language, string heading)
    {
        await using var tab = await browser.NewPageAsync(Viewport.Phone, host.Url);
        var page = tab.Page;

        var response = await page.GotoAsync($"/api/survey/{SurveyToken.New().Value}/opt-out?lang={language}");

        Assert.Equal(404, response?.Status);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(Heading(page)).ToHaveTextAsync(heading);
        await AssertFitsWidthAsync(page);
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, $"opt-out-not-found-{language}-phone");
        tab.AssertNoErrors();
    }

    private async Task<DateTimeOffset?> OptedOutAtAsync(string studyId) =>
        (await host.PatientRowAsync(studyId)).GetDateTimeOffset("OptedOutAt");

    // No HTTP route shows the opt-out yet (the coordinator's timeline will): the patient row and its audit line.
    private async Task AssertOptedOutByThePatientAsync(string studyId)
    {
        Assert.NotNull(await OptedOutAtAsync(studyId));
        var line = Assert.Single(await host.AuditAsync(studyId), a => a.GetString("Action") == "optedOut");
        Assert.Equal("patient", line.GetString("Actor"));
    }
}
