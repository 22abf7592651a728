using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Dashboard;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.OpenApi;

namespace PvpServerless.Tests.Security;

/// <summary>The local host with the dashboard's one-machine sign-in on (<c>Dashboard:LocalSignIn</c>).</summary>
public sealed class LocalSignInHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?> { ["Dashboard:LocalSignIn"] = "true" };
}

/// <summary>
/// The dashboard's routes are anonymous to the Functions host (RouteKeyTests) because the dashboard checks who is
/// signed in itself (docs/coordination.md, "Dashboard"): every dashboard route but the sign-in page and the assets
/// answers a 401 page to a request without the platform's principal (on Azure) or without a genuine, unexpired
/// session cookie (one machine), and such requests change nothing. Routes are found from the Functions project, so
/// a new dashboard route is held to this unless it is added to <see cref="Open"/>.
/// </summary>
public sealed class DashboardAccessTests(OpenApiHostFixture platform, LocalSignInHostFixture local)
    : IClassFixture<OpenApiHostFixture>,
        IClassFixture<LocalSignInHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ApiDescription Api = ApiDescription.Load();

    /// <summary>What must open without a session: the way to sign in, and what its page needs.</summary>
    private static readonly string[] Open =
    [
        "DashboardSignInPage",
        "DashboardSignIn",
        "DashboardStylesheet",
        "DashboardIcon",
    ];

    private static List<RouteKeyTests.Route> Guarded() =>
        [
            .. RouteKeyTests
                .Routes()
                .Where(r => r.Path.StartsWith("/api/dashboard", StringComparison.Ordinal))
                .Where(r => !Open.Contains(r.Function)),
        ];

    [Fact]
    public void The_dashboard_routes_are_found_and_only_sign_in_and_assets_are_open()
    {
        var all = RouteKeyTests.Routes().Where(r => r.Path.StartsWith("/api/dashboard", StringComparison.Ordinal));
        Assert.Equal(9, all.Count());
        Assert.Equal(
            ["DashboardAction", "DashboardFollowUps", "DashboardOverview", "DashboardPatient", "DashboardReport"],
            Guarded().Select(r => r.Function).Order(StringComparer.Ordinal)
        );
    }

    [Fact]
    public async Task On_Azure_nobody_without_the_platforms_principal_gets_past_the_401_page()
    {
        using var client = platform.NewClient();
        var before = await SnapshotAsync(platform);
        var failures = new List<string>();
        (string What, string? Principal, string? Cookie, string? User)[] tries =
        [
            ("nothing", null, null, null),
            ("X-Pvp-User only", null, null, "AB"),
            ("a principal that is not base64", "not base64!", null, null),
            ("a principal without name or id", Base64("{\"auth_typ\":\"aad\",\"claims\":[]}"), null, null),
            ("a session cookie (no such thing on Azure)", null, await LocalCookieAsync(), null),
        ];
        foreach (var route in Guarded())
        {
            foreach (var (what, principal, cookie, user) in tries)
            {
                var (status, media, text) = await SendAsync(client, route, principal, cookie, user);
                if (status != 401 || media != "text/html" || !text.Contains("<h1>", StringComparison.Ordinal))
                    failures.Add($"{route} with {what}: {status} {media}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await SnapshotAsync(platform));

        // The platform's principal opens each (so the 401s above were the identity's doing).
        foreach (var route in Guarded())
        {
            var (status, _, text) = await SendAsync(client, route, Principal(), null, null);
            if (status is 401 or 403 or >= 500)
                failures.Add($"{route} with the platform's principal: {status} {text[..Math.Min(200, text.Length)]}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task On_one_machine_nobody_without_a_genuine_unexpired_session_gets_past_the_401_page()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(local.Url),
        };
        var genuine = await LocalCookieAsync();
        var key = Convert.FromBase64String(HostFixture.TokenKey);
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        var future = DateTimeOffset.UtcNow.AddHours(1);
        var before = await SnapshotAsync(local);
        (string What, string? Principal, string? Cookie)[] tries =
        [
            ("no cookie", null, null),
            ("the platform's principal (nothing strips it here)", Principal(), null),
            ("a random cookie", null, Convert.ToBase64String(RandomNumberGenerator.GetBytes(40))),
            ("a genuine cookie with its signature changed", null, Altered(genuine)),
            ("a genuine cookie with its initials changed", null, OtherInitials(genuine)),
            ("an expired cookie, signed right", null, Cookie(key, "AB", past)),
            ("a cookie signed with another key", null, Cookie(RandomNumberGenerator.GetBytes(32), "AB", future)),
            ("a cookie signed for another purpose", null, Cookie(key, "AB", future, purpose: "check|")),
        ];
        var failures = new List<string>();
        foreach (var route in Guarded())
        {
            foreach (var (what, principal, cookie) in tries)
            {
                var (status, media, text) = await SendAsync(client, route, principal, cookie, null);
                if (status != 401 || media != "text/html" || !text.Contains("<h1>", StringComparison.Ordinal))
                    failures.Add($"{route} with {what}: {status} {media}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await SnapshotAsync(local));

        // A genuine session, and one made here the same way with a future expiry, open each route: so the cookies
        // above were refused for what was wrong with them, not for their shape.
        foreach (var route in Guarded())
        {
            foreach (var (what, cookie) in new[] { ("genuine", genuine), ("made", Cookie(key, "AB", future)) })
            {
                var (status, _, text) = await SendAsync(client, route, null, cookie, null);
                if (status is 401 or >= 500)
                    failures.Add($"{route} with a {what} session: {status} {text[..Math.Min(200, text.Length)]}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// The route's documented example (path, query, form), with only the identity given here: the documented
    /// principal header is left out.
    /// </summary>
    private static async Task<(int Status, string? Media, string Text)> SendAsync(
        HttpClient client,
        RouteKeyTests.Route route,
        string? principal,
        string? cookie,
        string? user
    )
    {
        var op = Api.Operations.Single(o => o.Path == route.Path && o.Method == route.Method);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), op.ExamplePath());
        if (principal is not null)
            request.Headers.TryAddWithoutValidation("X-MS-CLIENT-PRINCIPAL", principal);
        if (cookie is not null)
            request.Headers.TryAddWithoutValidation("Cookie", SessionCookie.Name + "=" + cookie);
        if (user is not null)
            request.Headers.TryAddWithoutValidation("X-Pvp-User", user);
        if (op.RequestExamples.Count > 0)
        {
            request.Content = new FormUrlEncodedContent(
                op.RequestExamples[0].Value!.AsObject().Select(f => KeyValuePair.Create(f.Key, f.Value!.ToString()))
            );
        }
        using var response = await client.SendAsync(request, Ct);
        return (
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(Ct)
        );
    }

    /// <summary>A session cookie's value from the local host's own sign-in: a one-time link and its post.</summary>
    private async Task<string> LocalCookieAsync()
    {
        var ticket = await local.Services.GetRequiredService<SignInTickets>().IssueAsync(Ct);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var form = new FormUrlEncodedContent([KeyValuePair.Create("ticket", ticket), new("initials", "KL")]);
        using var answer = await client.PostAsync(local.Url + "/api/dashboard/sign-in", form, Ct);
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, answer.StatusCode);
        var set = answer.Headers.GetValues("Set-Cookie").Single();
        return set.Split(';')[0][(SessionCookie.Name.Length + 1)..];
    }

    /// <summary>
    /// A cookie as docs/coordination.md describes it: base64url of <c>v1|initials|expiry|nonce</c>, a dot, and the
    /// base64url HMAC-SHA256 of <c>session|</c> and that text.
    /// </summary>
    private static string Cookie(byte[] key, string initials, DateTimeOffset expires, string purpose = "session|")
    {
        var unix = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = $"v1|{initials}|{unix}|{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12))}";
        var encoded = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        return encoded
            + "."
            + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + encoded)));
    }

    private static string Altered(string cookie) => cookie[..^1] + (cookie[^1] == 'A' ? 'B' : 'A');

    /// <summary>The genuine cookie's payload with other initials, its signature kept.</summary>
    private static string OtherInitials(string cookie)
    {
        var (encoded, mac) = (cookie.Split('.')[0], cookie.Split('.')[1]);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded)).Replace("|KL|", "|ZZ|");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + mac;
    }

    private static string Principal() =>
        Base64(
            "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"name\",\"val\":\"Anna Berg\"},"
                + "{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\",\"val\":\"5f1c2a0e\"}],"
                + "\"name_typ\":\"name\",\"role_typ\":\"roles\"}"
        );

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task<List<string>> SnapshotAsync(HostFixture host) =>
        [
            .. (await StorageContents.ReadAsync(host.ConnectionString, host.Prefix, null, Ct))
                .Select(i => i.Where + "\n" + i.Text)
                .Order(StringComparer.Ordinal),
        ];
}
