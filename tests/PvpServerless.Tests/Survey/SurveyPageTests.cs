using System.Net;
using System.Text.RegularExpressions;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Tests.FollowUp;

namespace PvpServerless.Tests.Survey;

/// <summary>
/// The questionnaire page of a real invitation (enrolled through the API, scheduled, sent to the outbox) over the
/// local host: what it shows in each language, how it marks up each item, the friendly pages of links that are not
/// open, and the defences of the post. The headers of every page: Security/SurveyHeaderTests.
/// </summary>
public sealed partial class SurveyPageTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private readonly SurveyClient _browser = new(host);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("<fieldset[ >]")]
    private static partial Regex Fieldset();

    [GeneratedRegex("<input type=\"radio\" id=\"([A-Za-z0-9-]+)\" name=\"([A-Za-z0-9.]+)\" value=\"([0-9])\"")]
    private static partial Regex Radio();

    [GeneratedRegex("<label (?:class=\"question\" )?for=\"([A-Za-z0-9-]+)\">")]
    private static partial Regex LabelFor();

    /// <summary>Nothing on any page names the patient, and nothing runs or loads from anywhere but the app.</summary>
    private static void AssertNothingRevealed(string html, string studyId)
    {
        Assert.DoesNotContain(studyId, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_speaks_the_patients_language_and_marks_up_every_item_of_both_instruments()
    {
        var token = await _browser.InvitedAsync("SRV-PAGE-DA", "da");

        var page = await _browser.GetAsync(SurveyClient.PathOf(token));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        AssertNothingRevealed(page.Html, "SRV-PAGE-DA");
        var html = page.Html;
        Assert.Contains("<html lang=\"da\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"pages.css\">", html, StringComparison.Ordinal);
        // Who asks (the clinic's name is a setting: encoded), why, how long, whom to call.
        Assert.Contains("<p class=\"caption\">Rygklinikken &lt;Test&gt; &amp; Co</p>", html, StringComparison.Ordinal);
        Assert.Contains("vil gerne vide, hvordan du har det", html, StringComparison.Ordinal);
        Assert.Contains("Det tager cirka 5 minutter. Der er 16 spørgsmål i 2 dele.", html, StringComparison.Ordinal);
        Assert.Contains("ring på +45 70 20 30 40", html, StringComparison.Ordinal);
        Assert.Contains("Del 1 af 2</span> Dit helbred i dag</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Del 2 af 2</span> Rygsmerter og hverdag</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"?lang=da\" novalidate>", html, StringComparison.Ordinal);
        Assert.Contains("Hvordan går det med at gå omkring i dag?", html, StringComparison.Ordinal);
        Assert.Contains("Send mine svar", html, StringComparison.Ordinal);

        // EQ-5D-3L: five items of three answers; ODI: ten sections of six (0–5). One fieldset each; the VAS is a
        // labelled whole-number input.
        Assert.Equal(15, Fieldset().Matches(html).Count);
        Assert.Equal(15, Regex.Matches(html, "<legend class=\"question\">").Count);
        var radios = Radio().Matches(html).Select(m => (Id: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
        Assert.Equal(5 * 3 + 10 * 6, radios.Count);
        foreach (var key in new[] { "mobility", "selfCare", "usualActivities", "pain", "anxiety" })
            Assert.Equal(["1", "2", "3"], radios.Where(r => r.Name == "eq5d." + key).Select(r => r.Id[^1..]));
        for (var section = 1; section <= 10; section++)
        {
            Assert.Equal(
                Enumerable.Range(0, 6).Select(v => $"odi-section{section}-{v}"),
                radios.Where(r => r.Name == $"odi.section{section}").Select(r => r.Id)
            );
        }
        // Every radio has its own label, and the VAS input too.
        Assert.Equal(
            radios.Select(r => r.Id).Append("eq5d-vas").Order(),
            LabelFor().Matches(html).Select(m => m.Groups[1].Value).Order()
        );
        Assert.Contains(
            "id=\"eq5d-vas\" name=\"eq5d.vas\" aria-describedby=\"eq5d-vas-hint\" value=\"\"",
            html,
            StringComparison.Ordinal
        );
        Assert.Contains("inputmode=\"numeric\"", html, StringComparison.Ordinal);
        // ODI section 8 may be skipped and says so; no other item does.
        Assert.Single(Regex.Matches(html, "<span class=\"optional\">\\(kan springes over\\)</span>"));
        Assert.Contains("Hvordan er dit sexliv?", html, StringComparison.Ordinal);
        Assert.DoesNotContain("error", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_english_patient_gets_english_and_either_may_switch_with_lang()
    {
        var token = await _browser.InvitedAsync("SRV-PAGE-EN", "en");

        var english = await _browser.GetAsync(SurveyClient.PathOf(token));
        var danish = await _browser.GetAsync(SurveyClient.PathOf(token, "da"));
        var stillEnglish = await _browser.GetAsync(SurveyClient.PathOf(token, "xx"));

        Assert.Contains("<html lang=\"en\">", english.Html, StringComparison.Ordinal);
        Assert.Contains("Questionnaire about your health", english.Html, StringComparison.Ordinal);
        Assert.Contains(
            "It takes about 5 minutes. There are 16 questions in 2 parts.",
            english.Html,
            StringComparison.Ordinal
        );
        Assert.Contains("How is walking about for you today?", english.Html, StringComparison.Ordinal);
        Assert.Contains("Part 2 of 2</span> Back pain and daily life</h2>", english.Html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"optional\">(optional)</span>", english.Html, StringComparison.Ordinal);
        Assert.Contains("call +45 70 20 30 40", english.Html, StringComparison.Ordinal);
        Assert.Contains(
            "<a href=\"?lang=da\" hreflang=\"da\" lang=\"da\">Dansk</a>",
            english.Html,
            StringComparison.Ordinal
        );
        Assert.Contains("<html lang=\"da\">", danish.Html, StringComparison.Ordinal);
        Assert.Contains("action=\"?lang=da\"", danish.Html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", stillEnglish.Html, StringComparison.Ordinal);
        Assert.Equal(SurveyClient.CheckOf(english.Html), SurveyClient.CheckOf(danish.Html));
    }

    [Fact]
    public async Task Unknown_links_get_404_and_closed_used_or_revoked_links_410_in_both_languages()
    {
        var token = await _browser.InvitedAsync("SRV-GONE-1", "en");
        var tokens = new TokenStore(host.Storage, TimeProvider.System);
        var closed = SurveyToken.New();
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);
        await tokens.CreateAsync(closed, new SurveyGrant("SRV-GONE-1", Wave.Baseline, yesterday), Ct);
        var revoked = SurveyToken.New();
        await tokens.CreateAsync(revoked, new SurveyGrant("SRV-GONE-1", Wave.Baseline, new DateOnly(2099, 1, 1)), Ct);
        await tokens.RevokeAsync(revoked.Hash, Ct);

        string[] unknown =
        [
            SurveyClient.PathOf(SurveyToken.New().Value),
            SurveyClient.PathOf("short"),
            SurveyClient.PathOf(new string('A', 42) + "B"),
            SurveyClient.PathOf("%3Cscript%3Ealert(1)%3C"),
        ];
        foreach (var path in unknown)
        {
            var page = await _browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            AssertNothingRevealed(page.Html, "SRV-GONE-1");
            Assert.Contains("<html lang=\"da\">", page.Html, StringComparison.Ordinal);
            Assert.Contains("<h1>Vi kan ikke finde dette link</h1>", page.Html, StringComparison.Ordinal);
            Assert.Contains("<section class=\"other-language\" lang=\"en\">", page.Html, StringComparison.Ordinal);
            Assert.Contains("<h2>We cannot find this link</h2>", page.Html, StringComparison.Ordinal);
            Assert.Contains("ring på +45 70 20 30 40", page.Html, StringComparison.Ordinal);
            Assert.Contains("call +45 70 20 30 40", page.Html, StringComparison.Ordinal);
        }

        // The patient's language first (English here), then Danish.
        var expired = await _browser.GetAsync(SurveyClient.PathOf(closed.Value));
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Contains("<h1>This questionnaire has closed</h1>", expired.Html, StringComparison.Ordinal);
        Assert.Contains("<h2>Spørgeskemaet er lukket</h2>", expired.Html, StringComparison.Ordinal);
        AssertNothingRevealed(expired.Html, "SRV-GONE-1");

        var gone = await _browser.GetAsync(SurveyClient.PathOf(revoked.Value));
        Assert.Equal(HttpStatusCode.Gone, gone.Status);
        Assert.Contains("<h1>This link is no longer in use</h1>", gone.Html, StringComparison.Ordinal);

        // A closed window refuses a post from a page opened before it closed, and stores nothing.
        var open = await _browser.GetAsync(SurveyClient.PathOf(token));
        Assert.Equal(HttpStatusCode.OK, open.Status);
        var late = await _browser.PostAsync(
            SurveyClient.PathOf(closed.Value),
            SurveyClient.CheckFor(closed),
            SurveyClient.Complete()
        );
        Assert.Equal(HttpStatusCode.Gone, late.Status);
        Assert.Contains("This questionnaire has closed", late.Html, StringComparison.Ordinal);
        Assert.Empty(await _browser.RowsAsync("SRV-GONE-1", "response|"));
    }

    [Fact]
    public async Task Posts_from_other_sites_without_our_check_not_our_form_or_too_large_are_refused_with_a_page()
    {
        var token = await _browser.InvitedAsync("SRV-CSRF-1", "da");
        var path = SurveyClient.PathOf(token);
        var check = SurveyClient.CheckOf((await _browser.GetAsync(path)).Html);
        var other = await _browser.InvitedAsync("SRV-CSRF-2", "da");
        var otherCheck = SurveyClient.CheckOf((await _browser.GetAsync(SurveyClient.PathOf(other))).Html);
        var answers = SurveyClient.Complete();

        // Another site (by Origin or by Sec-Fetch-Site), no check, an empty one, or one made for another link.
        SurveyAnswer[] forbidden =
        [
            await _browser.PostAsync(path, check, answers, origin: "https://evil.example"),
            await _browser.PostAsync(path, check, answers, origin: "null"),
            await _browser.PostAsync(path, check, answers, origin: "null", fetchSite: "cross-site"),
            await _browser.PostAsync(path, check, answers, fetchSite: "cross-site"),
            await _browser.PostAsync(path, check, answers, fetchSite: "same-site"),
            await _browser.PostAsync(path, null, answers),
            await _browser.PostAsync(path, "", answers),
            await _browser.PostAsync(path, otherCheck, answers),
        ];
        foreach (var page in forbidden)
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.Status);
            Assert.Contains("<h1>Det lykkedes ikke</h1>", page.Html, StringComparison.Ordinal);
        }
        // Not our form: a field we never send, a field twice, JSON.
        var extra = await _browser.PostAsync(path, check, [.. answers, new("eq5d.extra", "1")]);
        var twice = await _browser.PostAsync(path, check, [.. answers, new("eq5d.vas", "70")]);
        Assert.Equal(HttpStatusCode.BadRequest, extra.Status);
        Assert.Equal(HttpStatusCode.BadRequest, twice.Status);
        using (var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))
        {
            using var response = await host.Anonymous.PostAsync(path, json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        // Over 4 KiB: a friendly page, in the language asked for, and nothing read further.
        var big = await _browser.PostAsync(
            path + "?lang=en",
            check,
            [.. answers, new("odi.section8", new string('5', 5000))]
        );
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.Status);
        Assert.Contains("<h1>That did not work</h1>", big.Html, StringComparison.Ordinal);
        Assert.Empty(await _browser.RowsAsync("SRV-CSRF-1", "response|"));

        // Our own origin, as a browser sends it, goes through; so does a post with neither header (older browsers).
        var own = host.Anonymous.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var ok = await _browser.PostAsync(path, check, answers, origin: own, fetchSite: "same-origin");
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        var plain = await _browser.PostAsync(SurveyClient.PathOf(other), otherCheck, answers);
        Assert.Equal(HttpStatusCode.OK, plain.Status);
    }
}
