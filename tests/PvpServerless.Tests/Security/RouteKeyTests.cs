using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Functions;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.OpenApi;

namespace PvpServerless.Tests.Security;

/// <summary>
/// Every route of the Functions app, found from its <c>[HttpTrigger]</c> attributes (a new route is covered without
/// a change here), and the host's admin routes, against the local host keyed as a deployment is (one key per role,
/// local.settings.sample.json): only the survey pages, SendGrid's webhook and the dashboard (which checks who is
/// signed in itself: DashboardAccessTests) are anonymous; every other route
/// refuses a request without a key, with a wrong one, with a near miss of the right one, with another role's key and
/// with a platform identity but no key, each with 401 and an empty body, and none of those requests changes storage.
/// The coordinator routes that write refuse a malformed <c>X-MS-CLIENT-PRINCIPAL</c> with 400 naming it and store
/// nothing (docs/coordination.md, "Who did it"). On Azure the platform checks the keys; TemplateTests holds the
/// sign-in in front of the coordinator routes.
/// </summary>
public sealed partial class RouteKeyTests(OpenApiHostFixture host) : IClassFixture<OpenApiHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ApiDescription Api = ApiDescription.Load();

    /// <summary>
    /// The routes that open without a key, and why (docs/openapi.yaml, x-pvp-anonymous): a patient's link, SendGrid's
    /// signature, and the coordinator dashboard, anonymous at the Functions level because it requires the platform's
    /// principal or its own session itself (DashboardAccessTests holds it to that).
    /// </summary>
    private static readonly string[] AnonymousRoutes = ["survey/", "sendgrid/events", "dashboard"];

    [GeneratedRegex("^LocalHost__Functions__([A-Za-z0-9]+)__Keys__([A-Za-z0-9]+)$")]
    private static partial Regex FunctionKeySetting();

    [GeneratedRegex("{([A-Za-z]+)}")]
    private static partial Regex RouteParameter();

    /// <summary>One route: function, method, path template, authorization level, the role whose key opens it.</summary>
    public sealed record Route(string Function, string Method, string Path, AuthorizationLevel Level, string Role)
    {
        public override string ToString() => $"{Method} {Path} ({Function}, {Role})";
    }

    /// <summary>The Functions app's HTTP routes with the role whose key opens them, and the admin routes.</summary>
    public static IReadOnlyList<Route> Routes()
    {
        using var sample = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "local.settings.sample.json"))
        );
        var roles = sample
            .RootElement.GetProperty("Values")
            .EnumerateObject()
            .Select(v => FunctionKeySetting().Match(v.Name))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var routes = new List<Route>();
        foreach (var function in FunctionCatalog.Discover([typeof(FunctionServices).Assembly]))
        {
            if (function.Trigger is not Trigger.Http http)
                continue;
            var role = http.Level switch
            {
                AuthorizationLevel.Anonymous => "anonymous",
                AuthorizationLevel.Admin or AuthorizationLevel.System => "master",
                _ => roles.GetValueOrDefault(function.Name) ?? "(no key of its own)",
            };
            foreach (var method in http.Methods)
                routes.Add(new Route(function.Name, method, "/api/" + http.Route, http.Level, role));
        }
        routes.Add(new Route("(host)", "GET", "/admin/functions", AuthorizationLevel.Admin, "master"));
        routes.Add(new Route("(host)", "POST", "/admin/functions/{name}", AuthorizationLevel.Admin, "master"));
        return routes;
    }

    [Fact]
    public void Only_the_survey_pages_the_webhook_and_the_dashboard_are_anonymous_and_every_other_route_has_a_role_key()
    {
        var routes = Routes();
        Assert.True(routes.Count >= 30, $"{routes.Count} routes found");
        var open = routes
            .Where(r => r.Role == "anonymous")
            .Where(r => !AnonymousRoutes.Any(a => r.Path.StartsWith("/api/" + a, StringComparison.Ordinal)));
        Assert.Empty(open.Select(r => r.ToString()));
        Assert.Empty(routes.Where(r => r.Role.StartsWith('(')).Select(r => r.ToString()));
        Assert.Contains(routes, r => r.Role == "researcher");
        Assert.Contains(routes, r => r.Role == "master" && r.Function != "(host)");
    }

    [Fact]
    public async Task Every_keyed_route_refuses_no_key_a_wrong_key_a_near_miss_and_another_roles_key_with_401()
    {
        using var client = host.NewClient();
        await ArrangeAsync(client);
        var before = await SnapshotAsync();
        var failures = new List<string>();
        var keyed = Routes().Where(r => r.Role != "anonymous").ToList();
        foreach (var route in keyed)
        {
            var right = OpenApiHostFixture.KeyOf(route.Role)!;
            var tries = new List<(string What, string? Key, bool InQuery, bool Principal)>
            {
                ("no key", null, false, false),
                ("no key, a signed-in principal", null, false, true),
                ("a random key", NewKey(), false, false),
                ("a random ?code=", NewKey(), true, false),
                ("the right key and one more character", right + "x", false, false),
                ("the right key but its last character", right[..^1], false, false),
                ("the right key in upper case", right.ToUpperInvariant(), false, false),
                ("an empty ?code=", "", true, false),
            };
            // Another role's key (the master key opens everything, by design).
            foreach (var role in ((string[])["coordinator", "researcher"]).Where(r => r != route.Role))
                tries.Add(($"the {role} key", OpenApiHostFixture.KeyOf(role), false, false));
            // A host key opens every Function-level route (as on Azure) but never an admin one.
            if (route.Level == AuthorizationLevel.Admin)
                tries.Add(("a host key", HostFixture.FunctionKey, false, false));
            foreach (var (what, key, inQuery, principal) in tries)
            {
                var (status, text) = await SendAsync(client, route, key, inQuery, principal ? Principal() : null);
                if (status != 401 || text.Length != 0)
                    failures.Add($"{route} with {what}: {status} {Shorten(text)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await SnapshotAsync());

        // The right key does open each route (so the refusals above were the key's doing).
        foreach (var route in keyed)
        {
            var (status, text) = await SendAsync(client, route, OpenApiHostFixture.KeyOf(route.Role), false, null);
            if (status is 401 or 403 or >= 500)
                failures.Add($"{route} with its own key: {status} {Shorten(text)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_coordinator_route_that_writes_refuses_a_malformed_principal_naming_it_and_stores_nothing()
    {
        using var client = host.NewClient();
        await ArrangeAsync(client);
        var writes = Routes().Where(r => r.Role == "coordinator" && r.Method != "GET").ToList();
        Assert.True(writes.Count >= 10, $"{writes.Count} coordinator routes that write");
        string[] malformed =
        [
            "not base64!",
            Base64("not json"),
            Base64("[\"claims\"]"),
            Base64("{\"auth_typ\":\"aad\",\"claims\":[]}"), // signed in, but no name and no id
            Base64("{\"claims\":[{\"typ\":\"name\",\"val\":\"" + new string('x', 13_000) + "\"}]}"),
        ];
        var before = await SnapshotAsync();
        var failures = new List<string>();
        foreach (var route in writes)
        {
            foreach (var principal in malformed)
            {
                var key = OpenApiHostFixture.KeyOf("coordinator");
                var (status, text) = await SendAsync(client, route, key, false, principal);
                if (status != 400 || !text.Contains("\"X-MS-CLIENT-PRINCIPAL\"", StringComparison.Ordinal))
                {
                    var shown = principal[..Math.Min(24, principal.Length)];
                    failures.Add($"{route} with principal {shown}…: {status} {Shorten(text)}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>The documented example patient enrolled: refused writes about it would have had an effect.</summary>
    private async Task ArrangeAsync(HttpClient client)
    {
        var enrol = Routes().Single(r => r.Function == "EnrolPatient");
        var (status, text) = await SendAsync(client, enrol, OpenApiHostFixture.KeyOf("coordinator"), false, null);
        Assert.True(status is 201 or 200 or 409, $"{status} {text}"); // 409: the other test enrolled it
    }

    /// <summary>
    /// The route's request as docs/openapi.yaml's example has it (path, query, headers, first body), else the path
    /// with a placeholder for each parameter and no body.
    /// </summary>
    private static async Task<(int Status, string Text)> SendAsync(
        HttpClient client,
        Route route,
        string? key,
        bool inQuery,
        string? principal
    )
    {
        var op = Api.Operations.FirstOrDefault(o => o.Path == route.Path && o.Method == route.Method);
        var path = op?.ExamplePath() ?? RouteParameter().Replace(route.Path, "x");
        if (route.Function == "(host)" && route.Method == "POST")
            path = "/admin/functions/NoSuchFunction";
        if (key is not null && inQuery)
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "code=" + Uri.EscapeDataString(key);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (key is not null && !inQuery)
            request.Headers.TryAddWithoutValidation("x-functions-key", key);
        if (principal is not null)
            request.Headers.TryAddWithoutValidation("X-MS-CLIENT-PRINCIPAL", principal);
        foreach (var (name, value) in op?.ExampleHeaders ?? [])
            request.Headers.TryAddWithoutValidation(name, value);
        var body = op?.RequestExamples.Count > 0 ? op.RequestExamples[0].Value : null;
        if (body is not null && op!.RequestMediaType == "application/json")
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        else if (body is not null)
        {
            request.Content = new FormUrlEncodedContent(
                body.AsObject().Select(f => KeyValuePair.Create(f.Key, f.Value?.ToString() ?? ""))
            );
        }
        using var response = await client.SendAsync(request, Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A well-formed principal as App Service Authentication sends it: a name, an object id.</summary>
    private static string Principal() =>
        Base64(
            "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"name\",\"val\":\"Anna Berg\"},"
                + "{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\",\"val\":\"5f1c2a0e\"}],"
                + "\"name_typ\":\"name\",\"role_typ\":\"roles\"}"
        );

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string NewKey() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>Every row, blob and message of the host's storage, as one comparable list.</summary>
    private async Task<List<string>> SnapshotAsync() =>
        [
            .. (await StorageContents.ReadAsync(host.ConnectionString, host.Prefix, null, Ct))
                .Select(i => i.Where + "\n" + i.Text)
                .Order(StringComparer.Ordinal),
        ];
}
