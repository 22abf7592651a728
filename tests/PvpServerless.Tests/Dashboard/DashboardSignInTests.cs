using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Dashboard;

/// <summary>
/// Who may see the dashboard, over HTTP on the local host with <c>Dashboard:LocalSignIn</c>: nobody without a session
/// (401 page), a sign-in link used once, initials checked as <c>X-Pvp-User</c> is, the cookie HttpOnly and
/// SameSite=Strict and refused when changed, and action posts refused without our check or from another site.
/// </summary>
public sealed partial class DashboardSignInTests(DashboardHostFixture host) : IClassFixture<DashboardHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Browserless(DashboardHostFixture host) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(host.Url),
        };

    private static FormUrlEncodedContent Form(params (string, string)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

    [GeneratedRegex("name=\"check\" value=\"([^\"]+)\"")]
    private static partial Regex CheckField();

    [Fact]
    public async Task A_sign_in_link_works_once_and_its_cookie_opens_the_dashboard_until_it_is_changed()
    {
        using var http = Browserless(host);
        var closed = await http.GetAsync("/api/dashboard?lang=en", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
        Assert.Contains("Not signed in", await closed.Content.ReadAsStringAsync(Ct));
        // A platform principal counts for nothing on one machine: nothing strips the header here.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard");
        forged.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "Mallory");
        forged.Headers.Add("X-MS-CLIENT-PRINCIPAL", "eyJjbGFpbXMiOltdfQ==");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged, Ct)).StatusCode);

        var link = new Uri(await host.SignInLinkAsync());
        var ticket = link.Query.Split('&')[0]["?ticket=".Length..];
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(link.PathAndQuery, Ct)).StatusCode);
        var email = await http.PostAsync(
            "/api/dashboard/sign-in?lang=en",
            Form(("ticket", ticket), ("initials", "ab@x.dk")),
            Ct
        );
        Assert.Equal(HttpStatusCode.BadRequest, email.StatusCode);
        Assert.Contains("never an e-mail address", await email.Content.ReadAsStringAsync(Ct));

        var signedIn = await http.PostAsync("/api/dashboard/sign-in", Form(("ticket", ticket), ("initials", "KL")), Ct);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("HttpOnly", cookie);
        Assert.Contains("SameSite=Strict", cookie);
        Assert.DoesNotContain("Secure", cookie);
        var again = await http.PostAsync("/api/dashboard/sign-in", Form(("ticket", ticket), ("initials", "KL")), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);

        var session = cookie.Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/api/dashboard", session)).StatusCode);
        var changed = session[..^2] + (session[^2] == 'A' ? "B" : "A") + session[^1];
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, "/api/dashboard", changed)).StatusCode);
    }

    [Fact]
    public async Task An_action_post_without_our_check_or_from_another_site_is_refused_and_changes_nothing()
    {
        await host.EnrolAndInviteAsync("DSH-CSRF", "en");
        using var http = Browserless(host);
        var session = await SignInAsync(http);
        var page = await (
            await GetAsync(http, "/api/dashboard/patients/DSH-CSRF?lang=en", session)
        ).Content.ReadAsStringAsync(Ct);
        var check = CheckField().Match(page).Groups[1].Value;
        (string, string)[] optOut =
        [
            ("action", "optOut"),
            ("studyId", "DSH-CSRF"),
            ("return", "/api/dashboard/patients/DSH-CSRF"),
        ];

        var noCheck = await PostAsync(http, session, null, Form(optOut));
        var otherSite = await PostAsync(http, session, "https://evil.example", Form([.. optOut, ("check", check)]));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (noCheck.StatusCode, otherSite.StatusCode));
        Assert.DoesNotContain(await host.AuditAsync("DSH-CSRF"), a => a.GetString("Action") == "optedOut");

        var own = await PostAsync(http, session, host.Url, Form([.. optOut, ("check", check)]));
        Assert.Equal(HttpStatusCode.SeeOther, own.StatusCode);
        Assert.Equal("/api/dashboard/patients/DSH-CSRF?notice=done", own.Headers.Location?.OriginalString);
        Assert.Contains(
            await host.AuditAsync("DSH-CSRF"),
            a => a.GetString("Action") == "optedOut" && a.GetString("Actor") == "coordinator:MN"
        );
        // A return address elsewhere is no redirect target.
        var away = await PostAsync(
            http,
            session,
            host.Url,
            Form(("action", "optIn"), ("studyId", "DSH-CSRF"), ("return", "https://evil.example/"), ("check", check))
        );
        Assert.Equal(HttpStatusCode.BadRequest, away.StatusCode);
    }

    [Fact]
    public async Task A_correction_from_the_dashboard_changes_the_answers_and_never_completedAt()
    {
        await host.EnrolAndInviteAsync("DSH-KEEP", "en");
        // Sub-second digits too: a correction that wrote the time back from a page would lose them.
        var completedAt = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:ss", Inv) + ".1234567+00:00";
        await host.StoreBaselineAsync("DSH-KEEP", completedAt);
        using var http = Browserless(host);
        var session = await SignInAsync(http);
        var page = await (
            await GetAsync(http, "/api/dashboard/patients/DSH-KEEP?lang=en", session)
        ).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("name=\"completedAt\"", page, StringComparison.Ordinal);
        (string, string)[] correction =
        [
            ("check", CheckField().Match(page).Groups[1].Value),
            ("action", "correctResponse"),
            ("studyId", "DSH-KEEP"),
            ("wave", "baseline"),
            ("return", "/api/dashboard/patients/DSH-KEEP"),
            ("eq5d-mobility", "2"),
            ("eq5d-selfCare", "1"),
            ("eq5d-usualActivities", "2"),
            ("eq5d-pain", "3"),
            ("eq5d-anxiety", "2"),
            ("eq5d-vas", "55"),
        ];

        var moved = await PostAsync(
            http,
            session,
            null,
            Form([.. correction, ("completedAt", "2025-01-02T03:04:05Z")])
        );
        Assert.Equal(HttpStatusCode.Forbidden, moved.StatusCode);
        var untouched = await host.Client.GetFromJsonAsync<JsonObject>("/api/patients/DSH-KEEP/responses/baseline", Ct);
        Assert.Equal(40, untouched!["response"]!["eq5d"]!["vas"]!.GetValue<int>());

        var done = await PostAsync(http, session, null, Form(correction));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        var stored = await host.Client.GetFromJsonAsync<JsonObject>("/api/patients/DSH-KEEP/responses/baseline", Ct);
        Assert.Equal(55, stored!["response"]!["eq5d"]!["vas"]!.GetValue<int>());
        Assert.Equal(
            DateTimeOffset.Parse(completedAt, Inv),
            DateTimeOffset.Parse(stored["response"]!["completedAt"]!.GetValue<string>(), Inv)
        );
    }

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    private async Task<string> SignInAsync(HttpClient http)
    {
        var link = new Uri(await host.SignInLinkAsync());
        var ticket = link.Query.Split('&')[0]["?ticket=".Length..];
        var signedIn = await http.PostAsync("/api/dashboard/sign-in", Form(("ticket", ticket), ("initials", "MN")), Ct);
        return signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> PostAsync(
        HttpClient http,
        string cookie,
        string? origin,
        HttpContent body
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dashboard/actions") { Content = body };
        request.Headers.Add("Cookie", cookie);
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return await http.SendAsync(request, Ct);
    }
}
