using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PvpServerless.Functions;
using PvpServerless.LocalHost;
using PvpServerless.Tests.OpenApi;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// While storage is away, every HTTP route of the Functions project — found from its <c>[HttpTrigger]</c> attributes
/// as the local host maps them, so a new route is covered without a change here — sent its documented example
/// (docs/openapi.yaml, with the key its security names) answers 503 with Retry-After within <see cref="Budget"/>:
/// problem details on the API, the page on the patient pages (each asked for in Danish and in English) and on the
/// dashboard, each as documented; never a 500, never a hang. A route that needs no storage (a stylesheet) answers
/// exactly what it answers with storage up. Then storage comes back and every example of the document, in
/// OpenApiExampleTests' order, is accepted: nothing the requests of the outage began was left half-done
/// (docs/evidence.md, "Faults").
/// </summary>
public sealed partial class StorageAwayAnswerTests
{
    /// <summary>What a person waiting at a page or a coordinator's script should wait at most for the 503.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    /// <summary>Far past any bounded answer: a request still unanswered by then hangs.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static readonly ApiDescription Api = ApiDescription.Load();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("<html lang=\"([a-z]{2})\"")]
    private static partial Regex PageLanguage();

    /// <summary>One request of the outage: a route's first example, on a patient page in one language.</summary>
    private sealed record Probe(ApiOperation Op, string? Language)
    {
        public override string ToString() => Op.Id + (Language is null ? "" : $" ?lang={Language}");
    }

    /// <summary>What came back (null: nothing within <see cref="Hang"/>) and how long it took.</summary>
    private sealed record Heard(Probe Probe, ApiAnswer? Answer, TimeSpan Took)
    {
        public override string ToString() =>
            $"{Probe} {(Answer is null ? "no answer" : Answer.Status.ToString(CultureInfo.InvariantCulture))} "
            + $"in {Took.TotalSeconds:0.0} s";
    }

    [Fact]
    public async Task Every_route_answers_503_with_Retry_After_within_five_seconds_while_storage_is_away()
    {
        var started = Stopwatch.GetTimestamp();
        using var webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clock = OpenApiHostFixture.ExamplesClock();
        var settings = OpenApiHostFixture.Settings(webhookKey);
        settings["LocalHost:RunQueues"] = "false"; // as the examples' own host: the requests alone change storage
        await using var azurite = await FaultAzurite.StartAsync(Ct);
        await using var host = new FaultHost(azurite, "away", settings, clock);
        await host.StartAsync();
        await FollowUpExamples.ArrangeAsync(azurite.ConnectionString, host.Prefix, Ct);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(host.Url),
            Timeout = Hang,
        };
        var calls = new ApiCalls(
            Api,
            client,
            body => OpenApiHostFixture.SignAsSendGrid(webhookKey, clock.GetUtcNow(), body)
        );
        var probes = Probes();

        await azurite.StopAsync();
        var during = new ConcurrentBag<Heard>();
        // Four at a time: each waits out its storage call's bounded retries (pauses, not work).
        await Parallel.ForEachAsync(
            probes,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct },
            async (probe, _) => during.Add(await HearAsync(calls, probe))
        );
        await azurite.StartAgainAsync(Ct);
        var outage = Stopwatch.GetElapsedTime(started);

        var (after, refusedAfter) = await RunExamplesAsync(calls);
        await FollowUpExamples.AssertAppliedAsync(azurite.ConnectionString, host.Prefix, Ct);

        var heard = during.OrderBy(h => h.Probe.ToString(), StringComparer.Ordinal).ToList();
        var times = heard.Where(h => h.Answer?.Status == 503).Select(h => h.Took.TotalSeconds).DefaultIfEmpty(0);
        FaultSuite.Report(
            "Every route while Azurite is away",
            $"{heard.Count} requests, {heard.Count(h => h.Answer?.Status == 503)} answered 503 in "
                + $"{times.Min():0.00}–{times.Max():0.00} s; {string.Join(", ", heard)}; after: "
                + $"{after.Count} examples, {refusedAfter.Count} refused; "
                + $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s ({outage.TotalSeconds:0.0} s to the restart)"
        );
        var failures = heard.SelectMany(h => Check(calls, h, after)).Concat(refusedAfter).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Every HTTP route of the Functions project with its documented operation: once, or on a patient page (a
    /// <c>lang</c> parameter under <c>/api/survey/</c>) once in each language.
    /// </summary>
    private static List<Probe> Probes()
    {
        var probes = new List<Probe>();
        var undocumented = new List<string>();
        foreach (var function in FunctionCatalog.Discover([typeof(FunctionServices).Assembly]))
        {
            if (function.Trigger is not Trigger.Http http)
                continue;
            foreach (var method in http.Methods)
            {
                var path = "/api/" + http.Route;
                if (Api.Operations.FirstOrDefault(o => o.Path == path && o.Method == method) is not { } op)
                    undocumented.Add($"{method} {path} ({function.Name})");
                else if (IsPatientPage(op))
                    probes.AddRange([new Probe(op, "da"), new Probe(op, "en")]);
                else
                    probes.Add(new Probe(op, null));
            }
        }
        Assert.True(undocumented.Count == 0, "Not in docs/openapi.yaml: " + string.Join(", ", undocumented));
        Assert.True(probes.Count >= 40, $"{probes.Count} requests");
        return probes;
    }

    private static bool IsPatientPage(ApiOperation op) =>
        op.Path.StartsWith("/api/survey/", StringComparison.Ordinal)
        && op.Parameters.Any(p => p["name"]!.ToString() == "lang");

    /// <summary>The pages people read in a browser: a patient's (survey, opt-out) and the coordinator's dashboard.
    /// </summary>
    private static bool IsPage(ApiOperation op) =>
        op.Path.StartsWith("/api/survey/", StringComparison.Ordinal)
        || op.Path.StartsWith("/api/dashboard", StringComparison.Ordinal);

    private static async Task<Heard> HearAsync(ApiCalls calls, Probe probe)
    {
        var body = probe.Op.RequestExamples.Count > 0 ? probe.Op.RequestExamples[0].Value : null;
        var language = probe.Language is { } l ? new Dictionary<string, string> { ["lang"] = l } : null;
        var watch = Stopwatch.StartNew();
        try
        {
            var answer = await calls.SendAsync(probe.Op, body, OpenApiHostFixture.KeyOf(probe.Op.KeyRole), language);
            return new Heard(probe, answer, watch.Elapsed);
        }
        catch (TaskCanceledException) when (!Ct.IsCancellationRequested)
        {
            return new Heard(probe, null, watch.Elapsed);
        }
    }

    /// <summary>What is wrong with one answer of the outage (nothing when it is right).</summary>
    private static IEnumerable<string> Check(ApiCalls calls, Heard heard, IReadOnlyDictionary<string, ApiAnswer> after)
    {
        var (probe, answer, took) = heard;
        if (answer is null)
        {
            yield return $"{probe}: no answer within {Hang.TotalSeconds} s";
            yield break;
        }
        if (took > Budget)
            yield return $"{probe}: answered after {took.TotalSeconds:0.0} s, over {Budget.TotalSeconds} s";
        if (answer.Status != 503)
        {
            // A route that needs no storage (a stylesheet, an icon) answers as it does with storage up.
            var up = after.GetValueOrDefault(probe.Op.Id);
            if (up is null || up.Status != answer.Status || up.Text != answer.Text)
                yield return $"{probe}: {answer}";
            yield break;
        }
        var wait = answer.Headers.GetValueOrDefault("Retry-After");
        if (!int.TryParse(wait, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
            yield return $"{probe}: 503 with Retry-After '{wait}'";
        foreach (var difference in calls.Differences(probe.Op, answer))
            yield return difference;
        var expected = IsPage(probe.Op) ? "text/html" : "application/problem+json";
        if (answer.MediaType != expected)
            yield return $"{probe}: 503 as {answer.MediaType}, not {expected}";
        if (IsPage(probe.Op) && !answer.Text.Contains("<h1>", StringComparison.Ordinal))
            yield return $"{probe}: a page without a heading: {answer}";
        if (probe.Language is { } language && PageLanguage().Match(answer.Text).Groups[1].Value != language)
            yield return $"{probe}: the page is not in the language asked for: {answer}";
        // A patient who only opened a link sent nothing: the page must not speak of answers that were not saved.
        if (
            IsPatientPage(probe.Op)
            && probe.Op.Method.Equals("get", StringComparison.OrdinalIgnoreCase)
            && (
                answer.Text.Contains(" save", StringComparison.Ordinal)
                || answer.Text.Contains(" gemme", StringComparison.Ordinal)
            )
        )
            yield return $"{probe}: a page only opened speaks of saving: {answer}";
    }

    /// <summary>
    /// Every example of the document in OpenApiExampleTests' order, each accepted as documented there; the answer
    /// to each operation's first example, and what was refused.
    /// </summary>
    private static async Task<(Dictionary<string, ApiAnswer> First, List<string> Refused)> RunExamplesAsync(
        ApiCalls calls
    )
    {
        var first = new Dictionary<string, ApiAnswer>();
        var refused = new List<string>();
        foreach (var op in OpenApiExampleTests.Sequence.Select(Api.Operation))
        {
            var examples = op.RequestExamples.Count > 0 ? op.RequestExamples : [("(no body)", null)];
            foreach (var (name, body) in examples)
            {
                var answer = await calls.SendAsync(op, body, OpenApiHostFixture.KeyOf(op.KeyRole));
                var accepted = op.Node["x-pvp-example-status"] is { } status
                    ? answer.Status.ToString(CultureInfo.InvariantCulture) == status.ToString()
                    : answer.Status is >= 200 and < 400;
                if (!accepted)
                    refused.Add($"After the outage, {op} example {name}: {answer}");
                first.TryAdd(op.Id, answer);
            }
        }
        return (first, refused);
    }
}
