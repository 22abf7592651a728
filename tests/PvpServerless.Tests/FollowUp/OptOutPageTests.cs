using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// The opt-out link of a real invitation (enrolled through the API, scheduled, sent to the outbox), over the local
/// host and Azurite: pages, the confirming post and its defences (their headers: Security/SurveyHeaderTests).
/// </summary>
public sealed partial class OptOutPageTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"check\" value=\"([A-Za-z0-9_-]{43})\"")]
    private static partial Regex CheckField();

    private static string PathOf(string token, string? lang = null) =>
        $"/api/survey/{token}/opt-out" + (lang is null ? "" : "?lang=" + lang);

    private async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await host.Anonymous.GetAsync(path, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response);
    }

    private async Task<(HttpStatusCode Status, string Html)> PostAsync(
        string path,
        IEnumerable<KeyValuePair<string, string>>? form,
        string? origin = null
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form ?? []),
        };
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        using var response = await host.Anonymous.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static KeyValuePair<string, string>[] Check(string html) =>
        [new("check", CheckField().Match(html).Groups[1].Value)];

    [Fact]
    public async Task The_page_speaks_the_patients_language_offers_the_other_and_confirming_stops_the_emails()
    {
        var email = await host.EnrolAndInviteAsync("OPT-DA-1", "da");
        var token = DeliveryHostFixture.TokenOf(email);

        var (status, html, _) = await GetAsync(PathOf(token));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"da\">", html, StringComparison.Ordinal);
        Assert.Contains("Ingen flere e-mails om spørgeskemaet", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>", html, StringComparison.Ordinal);
        Assert.Contains("action=\"opt-out?lang=da\"", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"../pages.css\">", html, StringComparison.Ordinal);
        // The clinic's name is a setting: encoded, never markup. No study id, no address.
        Assert.Contains("Rygklinikken &lt;Test&gt; &amp; Co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("OPT-DA-1", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);

        var (_, english, _) = await GetAsync(PathOf(token, "en"));
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("No more e-mails about the questionnaire", english, StringComparison.Ordinal);
        Assert.Contains(
            "<a href=\"?lang=da\" hreflang=\"da\" lang=\"da\">Dansk</a>",
            english,
            StringComparison.Ordinal
        );

        Assert.Null((await host.PatientRowAsync("OPT-DA-1")).GetDateTimeOffset("OptedOutAt"));
        var before = DateTimeOffset.UtcNow;
        var (posted, thanks) = await PostAsync(PathOf(token, "da"), Check(html));
        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Contains("<h1>Tak</h1>", thanks, StringComparison.Ordinal);

        var optedOutAt = (await host.PatientRowAsync("OPT-DA-1")).GetDateTimeOffset("OptedOutAt");
        Assert.NotNull(optedOutAt);
        Assert.InRange(optedOutAt.Value, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var line = Assert.Single(await host.AuditAsync("OPT-DA-1"), a => a.GetString("Action") == "optedOut");
        Assert.Equal("patient", line.GetString("Actor"));
        Assert.Equal("""{"wave":"baseline"}""", line.GetString("Details"));

        // Again: nothing more is written, and the page says it was done before.
        var (again, already) = await PostAsync(PathOf(token, "en"), Check(html));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Contains("You have already told us", already, StringComparison.Ordinal);
        Assert.Equal(optedOutAt, (await host.PatientRowAsync("OPT-DA-1")).GetDateTimeOffset("OptedOutAt"));
        Assert.Single(await host.AuditAsync("OPT-DA-1"), a => a.GetString("Action") == "optedOut");
        var (_, shown, _) = await GetAsync(PathOf(token));
        Assert.Contains("Du har allerede sagt fra", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_english_patient_gets_english_and_the_stylesheet_is_served_from_the_app()
    {
        var email = await host.EnrolAndInviteAsync("OPT-EN-1", "en");

        var (status, html, _) = await GetAsync(PathOf(DeliveryHostFixture.TokenOf(email)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("Yes, stop the e-mails", html, StringComparison.Ordinal);
        var css = await host.Anonymous.GetAsync("/api/survey/pages.css", Ct);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("font-size", await css.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_our_check_or_from_another_site_is_refused_and_changes_nothing()
    {
        var email = await host.EnrolAndInviteAsync("OPT-CSRF-1", "da");
        var token = DeliveryHostFixture.TokenOf(email);
        var (_, html, _) = await GetAsync(PathOf(token));
        var check = Check(html);
        var other = await host.EnrolAndInviteAsync("OPT-CSRF-2", "da");
        var otherCheck = (await GetAsync(PathOf(DeliveryHostFixture.TokenOf(other)))).Html;

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(PathOf(token), null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(PathOf(token), [new("check", "")])).Status);
        // A check made for another link does not open this one.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(PathOf(token), Check(otherCheck))).Status);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await PostAsync(PathOf(token), check, origin: "https://evil.example")).Status
        );
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(PathOf(token), check, origin: "null")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(PathOf(token), [.. check, new("extra", "1")])).Status);
        using (var json = new StringContent("""{"check":"x"}""", System.Text.Encoding.UTF8, "application/json"))
        {
            var response = await host.Anonymous.PostAsync(PathOf(token), json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using (var big = new StringContent("check=" + new string('a', 2000), System.Text.Encoding.ASCII))
        {
            big.Headers.ContentType = new("application/x-www-form-urlencoded");
            var response = await host.Anonymous.PostAsync(PathOf(token), big, Ct);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        Assert.Null((await host.PatientRowAsync("OPT-CSRF-1")).GetDateTimeOffset("OptedOutAt"));
        Assert.DoesNotContain(await host.AuditAsync("OPT-CSRF-1"), a => a.GetString("Action") == "optedOut");

        // Our own origin (the address the request came to) is accepted.
        var own = host.Anonymous.BaseAddress!.GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(PathOf(token), check, origin: own)).Status);
        Assert.NotNull((await host.PatientRowAsync("OPT-CSRF-1")).GetDateTimeOffset("OptedOutAt"));
    }

    [Fact]
    public async Task Unknown_and_malformed_links_get_a_friendly_404_page_as_fast_as_a_known_one()
    {
        var email = await host.EnrolAndInviteAsync("OPT-404-1", "da");
        var known = PathOf(DeliveryHostFixture.TokenOf(email));
        var unknown = PathOf(SurveyToken.New().Value);
        string[] malformed = [PathOf("short"), PathOf(new string('A', 42) + "B"), PathOf("%3Cscript%3E")];

        foreach (var path in malformed.Append(unknown))
        {
            var (status, html, _) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("Vi kan ikke finde dette link", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            // A malformed link is not found; a well-formed one is first held to its check, which only we can make.
            var posted = (await PostAsync(path, [new("check", "x")])).Status;
            Assert.Equal(path == unknown ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound, posted);
        }
        var english = (await GetAsync(unknown + "?lang=en")).Html;
        Assert.Contains("We cannot find this link", english, StringComparison.Ordinal);

        // Both are one or a few reads by key: an unknown link is no slower than a known one (warm, median of 7).
        var knownTimes = await TimesAsync(known, HttpStatusCode.OK);
        var unknownTimes = await TimesAsync(unknown, HttpStatusCode.NotFound);
        Assert.True(
            unknownTimes[3] <= knownTimes[3] * 2 + 50 && unknownTimes.Max() < 2000,
            $"unknown {string.Join(", ", unknownTimes)} ms; known {string.Join(", ", knownTimes)} ms"
        );
    }

    private async Task<double[]> TimesAsync(string path, HttpStatusCode expected)
    {
        await GetAsync(path);
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            var (status, _, _) = await GetAsync(path);
            times.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(expected, status);
        }
        return [.. times.Order()];
    }

    [Fact]
    public async Task A_link_whose_window_closed_still_opts_out_and_a_revoked_one_is_gone()
    {
        await host.EnrolAndInviteAsync("OPT-OLD-1", "en");
        var tokens = new TokenStore(host.Storage, TimeProvider.System);
        var closed = SurveyToken.New();
        await tokens.CreateAsync(closed, new SurveyGrant("OPT-OLD-1", Wave.Baseline, new DateOnly(2024, 1, 31)), Ct);
        Assert.False((await tokens.FindAsync(closed.Value, Ct))!.IsOpenOn(DateOnly.FromDateTime(DateTime.UtcNow)));

        var (status, html, _) = await GetAsync(PathOf(closed.Value));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(PathOf(closed.Value), Check(html))).Status);
        Assert.NotNull((await host.PatientRowAsync("OPT-OLD-1")).GetDateTimeOffset("OptedOutAt"));

        await host.EnrolAndInviteAsync("OPT-REV-1", "da");
        var revoked = SurveyToken.New();
        await tokens.CreateAsync(revoked, new SurveyGrant("OPT-REV-1", Wave.Baseline, new DateOnly(2099, 1, 31)), Ct);
        var (_, before, _) = await GetAsync(PathOf(revoked.Value));
        await tokens.RevokeAsync(revoked.Hash, Ct);

        var (gone, page, _) = await GetAsync(PathOf(revoked.Value));
        Assert.Equal(HttpStatusCode.Gone, gone);
        Assert.Contains("Dette link er ikke længere i brug", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await PostAsync(PathOf(revoked.Value), Check(before))).Status);
        Assert.Null((await host.PatientRowAsync("OPT-REV-1")).GetDateTimeOffset("OptedOutAt"));
    }
}
