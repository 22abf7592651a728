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
    public async Task The_keyboard_alone_answers_every_item_with_visible_focus_and_enter_sends()
    {
        // 3L state 12123, VAS 75; ODI 0,1,0,1,2,0,1,(section 8 passed over),0,1: 1 − 0.114 − 0.063 − 0.062 − 0.367
        // = 0.394, ODI 100 · 6 / 45.
        var answers = new SurveyAnswers([1, 2, 1, 2, 3], "75", [0, 1, 0, 1, 2, 0, 1, null, 0, 1]);
        var email = await host.EnrolAndInviteAsync("BRW-SRV-KEYS", "en");
        await using var tab = await browser.NewPageAsync(Viewport.Desktop);
        var page = tab.Page;
        await page.GotoAsync(BrowserHostFixture.SurveyLink(email));

        // The order a keyboard user meets: the language switch, each item's radios (Tab enters a group at its first
        // radio, Space chooses it, the arrow keys move the choice), the VAS box, then the button.
        await page.Keyboard.PressAsync("Tab");
        await AssertVisibleFocusAsync(page.GetByRole(AriaRole.Link, new() { Name = "Dansk" }));
        for (var i = 0; i < answers.Eq5d.Length; i++)
            await ChooseAsync(page, $"eq5d-{SurveyAnswers.Dimensions[i]}", 1, answers.Eq5d[i]);
        await page.Keyboard.PressAsync("Tab");
        await AssertVisibleFocusAsync(page.Locator("#eq5d-vas"));
        await page.Keyboard.TypeAsync(answers.Vas);
        for (var i = 0; i < answers.Odi.Length; i++)
            await ChooseAsync(page, $"odi-section{i + 1}", 0, answers.Odi[i]);
        await page.Keyboard.PressAsync("Tab");
        await AssertVisibleFocusAsync(Submit(page));
        await SaveScreenshotAsync(page, "survey-focus-en-desktop");
        var status = await SendAsync(page, () => page.Keyboard.PressAsync("Enter"));

        Assert.Equal(200, status);
        await Expect(Heading(page)).ToHaveTextAsync("Thank you for your answers");
        Assert.Equal(0.394, answers.ExpectedIndex, 9);
        await answers.AssertAnsweredAsync(host.Client, "BRW-SRV-KEYS", Ct);
        tab.AssertNoErrors();
    }

    // Tab into the group (its first radio, with a visible ring); Space and the arrow keys choose, or nothing is chosen.
    private static async Task ChooseAsync(IPage page, string item, int first, int? level)
    {
        await page.Keyboard.PressAsync("Tab");
        await AssertVisibleFocusAsync(page.Locator($"#{item}-{first}"));
        if (level is not { } chosen)
            return;
        await page.Keyboard.PressAsync("Space");
        for (var l = first; l < chosen; l++)
            await page.Keyboard.PressAsync("ArrowDown");
        await AssertVisibleFocusAsync(page.Locator($"#{item}-{chosen}"));
        await Expect(page.Locator($"#{item}-{chosen}")).ToBeCheckedAsync();
    }

    [Fact]
    public async Task A_missing_item_comes_back_as_422_next_to_its_item_with_every_other_answer_kept()
    {
        var missing = ByMouse with { Eq5d = [2, 1, 2, 0, 2] };
        var email = await host.EnrolAndInviteAsync("BRW-SRV-422", "en");
        await using var tab = await browser.NewPageAsync(Viewport.Desktop);
        var page = tab.Page;
        await page.GotoAsync(BrowserHostFixture.SurveyLink(email));
        await missing.FillAsync(page);

        var status = await SendAsync(page, () => Submit(page).ClickAsync());

        Assert.Equal(422, status);
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToHaveAttributeAsync("role", "alert");
        // 16 questions less the missing one and the optional ODI section 8, left out.
        await Expect(summary).ToContainTextAsync("You have answered 14 of 16 questions.");
        var link = summary.Locator("a");
        await Expect(link).ToHaveCountAsync(1);
        await Expect(link).ToHaveAttributeAsync("href", "#eq5d-pain-1");
        // The message sits in the item, and the item's fieldset is described by it; no other item is marked.
        var item = page.Locator(".item-error");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item.Locator("#eq5d-pain-1")).ToHaveCountAsync(1);
        var message = item.Locator("#eq5d-pain-error");
        await Expect(message).ToBeVisibleAsync();
        await Expect(item.Locator("fieldset")).ToHaveAttributeAsync("aria-describedby", "eq5d-pain-error");
        await Expect(item.Locator("fieldset")).ToHaveAccessibleDescriptionAsync(await message.InnerTextAsync());
        foreach (var id in missing.RadioIds())
            await Expect(page.Locator("#" + id)).ToBeCheckedAsync();
        await Expect(page.Locator("input[type=radio]:checked")).ToHaveCountAsync(missing.RadioIds().Count());
        await Expect(page.Locator("#eq5d-vas")).ToHaveValueAsync(missing.Vas);
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "survey-error-en-desktop");
        Assert.Empty(await ResponsesAsync("BRW-SRV-422"));

        // The summary's link takes the keyboard to the item: Space there chooses its first answer.
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await AssertVisibleFocusAsync(page.Locator("#eq5d-pain-1"));
        await page.Locator("label[for='eq5d-pain-3']").ClickAsync();
        Assert.Equal(200, await SendAsync(page, () => Submit(page).ClickAsync()));
        await Expect(Heading(page)).ToHaveTextAsync("Thank you for your answers");
        await ByMouse.AssertAnsweredAsync(host.Client, "BRW-SRV-422", Ct);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task A_danish_patient_reads_the_form_in_both_languages_and_answers_in_danish()
    {
        var email = await host.EnrolAndInviteAsync("BRW-SRV-DA", "da");
        await using var tab = await browser.NewPageAsync(Viewport.Desktop);
        var page = tab.Page;

        await page.GotoAsync(BrowserHostFixture.SurveyLink(email));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "da");
        await Expect(Heading(page)).ToHaveTextAsync("Spørgeskema om dit helbred");
        await Expect(page.Locator("#part-1 .caption")).ToHaveTextAsync("Del 1 af 2");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "survey-form-da-desktop");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Heading(page)).ToHaveTextAsync("Questionnaire about your health");
        await Expect(Submit(page)).ToHaveTextAsync("Send my answers");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "survey-form-en-desktop");

        await page.GetByRole(AriaRole.Link, new() { Name = "Dansk" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "da");
        await ByMouse.FillAsync(page);
        await Expect(Submit(page)).ToHaveTextAsync("Send mine svar");
        Assert.Equal(200, await SendAsync(page, () => Submit(page).ClickAsync()));
        await Expect(Heading(page)).ToHaveTextAsync("Tak for dine svar");
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, "survey-thanks-da-desktop");
        var response = Assert.Single(await ResponsesAsync("BRW-SRV-DA"));
        Assert.Equal("da", response.GetString("Language"));
        await ByMouse.AssertAnsweredAsync(host.Client, "BRW-SRV-DA", Ct);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Two_tabs_and_the_back_button_store_one_response_and_the_second_sees_already_received()
    {
        var email = await host.EnrolAndInviteAsync("BRW-SRV-TWICE", "en");
        var link = BrowserHostFixture.SurveyLink(email);
        await using var first = await browser.NewPageAsync(Viewport.Desktop);
        await using var second = await browser.NewPageAsync(Viewport.Desktop);
        await first.Page.GotoAsync(link);
        await second.Page.GotoAsync(link);
        await ByMouse.FillAsync(first.Page);
        await (ByMouse with { Vas = "90" }).FillAsync(second.Page);

        Assert.Equal(200, await SendAsync(first.Page, () => Submit(first.Page).ClickAsync()));
        Assert.Equal(410, await SendAsync(second.Page, () => Submit(second.Page).ClickAsync()));

        await Expect(Heading(second.Page)).ToHaveTextAsync("We have already received your answers");
        await AssertNoSeriousViolationsAsync(second.Page);
        await SaveScreenshotAsync(second.Page, "survey-already-en-desktop");
        // Back to the form in the first tab: the page is not kept (no-store), and the link says it is done.
        var back = await first.Page.GoBackAsync();
        Assert.Equal(410, back?.Status);
        await Expect(Heading(first.Page)).ToHaveTextAsync("We have already received your answers");
        await Expect(first.Page.Locator("form")).ToHaveCountAsync(0);
        Assert.Single(await ResponsesAsync("BRW-SRV-TWICE"));
        await ByMouse.AssertAnsweredAsync(host.Client, "BRW-SRV-TWICE", Ct);
        first.AssertNoErrors();
        second.AssertNoErrors();
    }

    [Theory]
    [InlineData("da", "Tak for dine svar")]
    [InlineData("en", "Thank you for your answers")]
    public async Task On_a_phone_the_form_fits_reads_large_and_is_answered_by_touch(string language, string thanks)
    {
        var studyId = "BRW-SRV-PHONE-" + language.ToUpperInvariant();
        var email = await host.EnrolAndInviteAsync(studyId, language);
        await using var tab = await browser.NewPageAsync(Viewport.Phone);
        var page = tab.Page;
        await page.GotoAsync(BrowserHostFixture.SurveyLink(email));

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await AssertFitsWidthAsync(page);
        var bodyText = await page.Locator("main p")
            .First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(bodyText >= 18, $"Body text is {bodyText} px on a phone; at least 18 px is wanted.");
        // A thumb's target: each answer's label and the button at least 44 CSS pixels high (WCAG 2.5.5).
        foreach (var target in new[] { page.Locator("label[for='eq5d-mobility-1']"), Submit(page) })
        {
            var box = await target.BoundingBoxAsync();
            Assert.True(box is { Height: >= 44 }, $"A target is {box?.Width} × {box?.Height} px.");
        }
        await AssertNoSeriousViolationsAsync(page);
        await SaveScreenshotAsync(page, $"survey-form-{language}-phone");

        await ByMouse.FillAsync(page, touch: true);
        Assert.Equal(200, await SendAsync(page, () => Submit(page).TapAsync()));
        await Expect(Heading(page)).ToHaveTextAsync(thanks);
        await AssertFitsWidthAsync(page);
        await SaveScreenshotAsync(page, $"survey-thanks-{language}-phone");
        await ByMouse.AssertAnsweredAsync(host.Client, studyId, Ct);
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
