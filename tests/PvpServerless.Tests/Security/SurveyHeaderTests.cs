using System.Net;
using System.Text.RegularExpressions;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Survey;

namespace PvpServerless.Tests.Security;

/// <summary>
/// Every state of a patient's page (questionnaire, opt-out) over the local host, each sent with the headers that
/// docs/survey.md, "Headers", lists: the expected values are read from that table, so the document and the code are
/// held to each other. One table of states, one check.
/// </summary>
public sealed partial class SurveyHeaderTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private readonly SurveyClient _browser = new(host);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // | `Name` | `value` | why |
    [GeneratedRegex(@"^\| `([A-Za-z-]+)` \| `([^`]+)` \|")]
    private static partial Regex HeaderRow();

    /// <summary>The headers docs/survey.md's "Headers" table gives every survey page.</summary>
    public static IReadOnlyDictionary<string, string> Documented()
    {
        var lines = File.ReadAllLines(Path.Combine(AzuriteFixture.RepoRoot, "docs", "survey.md"));
        var section = lines.SkipWhile(l => l != "## Headers").Skip(1).TakeWhile(l => !l.StartsWith("## "));
        return section
            .Select(l => HeaderRow().Match(l))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_patient_page_state_is_sent_with_the_documented_headers()
    {
        var documented = Documented();
        string[] names =
        [
            "Cache-Control",
            "Content-Security-Policy",
            "Referrer-Policy",
            "X-Content-Type-Options",
            "X-Frame-Options",
        ];
        Assert.Equal(names, documented.Keys.Order(StringComparer.Ordinal));

        var token = await _browser.InvitedAsync("SEC-HDR-1", "da");
        var answered = await _browser.InvitedAsync("SEC-HDR-2", "en");
        var optingOut = await _browser.InvitedAsync("SEC-HDR-3", "da");
        var closed = SurveyToken.New();
        await new TokenStore(host.Storage, TimeProvider.System).CreateAsync(
            closed,
            new SurveyGrant("SEC-HDR-1", Wave.Baseline, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2)),
            Ct
        );
        var path = SurveyClient.PathOf(token);
        var check = SurveyClient.CheckOf((await _browser.GetAsync(path)).Html);
        var incomplete = SurveyClient.Complete();
        incomplete.Remove("eq5d.pain");
        var optOut = SurveyClient.PathOf(optingOut) + "/opt-out";

        var states = new List<(string State, HttpStatusCode Status, Func<Task<SurveyAnswer>> Get)>
        {
            ("the questionnaire", HttpStatusCode.OK, () => _browser.GetAsync(path)),
            ("the questionnaire in the other language", HttpStatusCode.OK, () => _browser.GetAsync(path + "?lang=en")),
            ("a missing item", HttpStatusCode.UnprocessableEntity, () => _browser.PostAsync(path, check, incomplete)),
            ("a post from another site", HttpStatusCode.Forbidden, () => _browser.PostAsync(path, null, incomplete)),
            (
                "not our form",
                HttpStatusCode.BadRequest,
                () => _browser.PostAsync(path, check, [.. incomplete, new("eq5d.extra", "1")])
            ),
            (
                "a body over 4 KiB",
                HttpStatusCode.RequestEntityTooLarge,
                () => _browser.PostAsync(path, check, [new("odi.section8", new string('5', 5000))])
            ),
            ("the thank-you page", HttpStatusCode.OK, () => _browser.AnswerAsync(answered, SurveyClient.Complete())),
            ("already answered", HttpStatusCode.Gone, () => _browser.GetAsync(SurveyClient.PathOf(answered))),
            ("a closed window", HttpStatusCode.Gone, () => _browser.GetAsync(SurveyClient.PathOf(closed.Value))),
            ("an unknown link", HttpStatusCode.NotFound, () => _browser.GetAsync(SurveyClient.PathOf(NewToken()))),
            ("a malformed link", HttpStatusCode.NotFound, () => _browser.GetAsync(SurveyClient.PathOf("short"))),
            ("the opt-out page", HttpStatusCode.OK, () => _browser.GetAsync(optOut)),
            ("an opt-out from another site", HttpStatusCode.Forbidden, () => _browser.PostAsync(optOut, null, [])),
            (
                "the opt-out confirmed",
                HttpStatusCode.OK,
                async () =>
                    await _browser.PostAsync(optOut, SurveyClient.CheckOf((await _browser.GetAsync(optOut)).Html), [])
            ),
            ("the opt-out page once opted out", HttpStatusCode.OK, () => _browser.GetAsync(optOut)),
            (
                "the opt-out page of an unknown link",
                HttpStatusCode.NotFound,
                () => _browser.GetAsync(SurveyClient.PathOf(NewToken()) + "/opt-out")
            ),
        };

        var failures = new List<string>();
        foreach (var (state, status, get) in states)
        {
            var page = await get();
            if (page.Status != status)
                failures.Add($"{state}: status {(int)page.Status}, expected {(int)status}");
            if (page.Header("Content-Type") != "text/html; charset=utf-8")
                failures.Add($"{state}: Content-Type {page.Header("Content-Type")}");
            foreach (var (name, value) in documented)
            {
                if (page.Header(name) != value)
                    failures.Add($"{state}: {name} is \"{page.Header(name)}\", documented \"{value}\"");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string NewToken() => SurveyToken.New().Value;
}
