using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using PvpServerless.Tests.OpenApi;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// Every documented route of the Functions project against generated hostile requests (docs/evidence.md, "Hostile
/// input"): each gets a 4xx with a clear answer (problem details naming the field on the JSON routes, a page on the
/// patient pages), never a 5xx or no answer, and storage under the host's prefix is the same after the batch.
/// <c>PVP_HOSTILE_CASES</c> sets the cases per route (default 50), <c>PVP_HOSTILE_SEED</c> replays a run.
/// </summary>
public sealed class HostileInputTests(HostileHostFixture host) : IClassFixture<HostileHostFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Routes =>
        [.. ApiDescription.Load().Operations.Where(o => !o.LocalHostOnly).Select(o => o.Id)];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Hostile_requests_get_a_clear_4xx_and_change_nothing(string operationId)
    {
        var ct = TestContext.Current.CancellationToken;
        var op = host.Api.Operation(operationId);
        var settings = HostileSettings.FromEnvironment();
        var seed = settings.SeedFor(operationId);
        var gen = new RouteCases(op, OpenApiHostFixture.KeyOf(op.KeyRole), host.Host.SignAsSendGrid).All();
        var cases = Gen.Sample(gen, settings.Cases, new Rnd(seed), 20);

        var before = await StorageSnapshot.TakeAsync(host.ConnectionString, host.Prefix, ct);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        await Parallel.ForEachAsync(
            cases,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (request, token) =>
            {
                var answer = await HostileAnswer.SendAsync(host.Client, request, Patience, token);
                lock (statuses)
                {
                    statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
                    if (HostileVerdict.Of(op, request, answer) is { } wrong)
                        failures.Add($"{wrong}\n    request: {request}\n    answer: {answer}");
                }
            }
        );
        var after = await StorageSnapshot.TakeAsync(host.ConnectionString, host.Prefix, ct);
        var changed = before.Differences(after);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{operationId}: {cases.Length} cases in {clock.ElapsedMilliseconds} ms, statuses "
                + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))
                + $"; seed {settings.Seed}"
        );
        var replay =
            $"replay: PVP_HOSTILE_SEED={settings.Seed} PVP_HOSTILE_CASES={settings.Cases} dotnet test "
            + $"tests/PvpServerless.Tests --filter \"FullyQualifiedName~Hostile\"";
        Assert.True(failures.Count == 0, $"{operationId}, {failures.Count} of {cases.Length} cases, {replay}\n"
            + string.Join("\n", failures.Take(15)));
        Assert.True(
            changed.Count == 0,
            $"{operationId}: storage changed by a batch of refused requests, {replay}\n"
                + string.Join("\n", changed.Take(30))
                + "\nthe batch:\n"
                + string.Join("\n", cases.Select(c => c.ToString()))
        );
    }
}

/// <summary>How many cases, and from which seed: each route's seed is derived from the run's, so one replays.</summary>
public sealed record HostileSettings(int Cases, ulong Seed)
{
    public const int DefaultCases = 50;

    public static HostileSettings FromEnvironment() =>
        new(
            int.TryParse(Variable("PVP_HOSTILE_CASES"), out var n) && n > 0 ? n : DefaultCases,
            ulong.TryParse(Variable("PVP_HOSTILE_SEED"), CultureInfo.InvariantCulture, out var s)
                ? s
                : (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds()
        );

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name);

    public ulong SeedFor(string operationId) =>
        operationId.Aggregate(Seed, (h, c) => unchecked((h ^ c) * 1099511628211UL));
}

/// <summary>What is wrong with an answer to a hostile request, or null when it is as it should be.</summary>
public static class HostileVerdict
{
    public static string? Of(ApiOperation op, HostileRequest request, HostileAnswer answer)
    {
        if (answer.TimedOut)
            return "no answer (a hang)";
        if (answer.Status >= 500)
            return $"a {answer.Status}";
        if (answer.Status is < 400 && request.MustRefuse)
            return $"accepted ({answer.Status})";
        if (answer.Status is < 400 or >= 500)
            return null;
        // No function matched the path (a raw / or ../ moved it): the router's bare 404 or 405. A NUL in the path:
        // the server's bare 400 before any routing (Kestrel, as under the Functions host in Azure).
        if (answer.Text.Length == 0 && answer.Status is 404 or 405)
            return null;
        var nulInPath = PathOf(request).Contains("%00", StringComparison.Ordinal);
        if (answer.Text.Length == 0 && answer.Status == 400 && nulInPath)
            return null;
        // A request line past the server's limit (8 KiB): its bare 414, also before any routing.
        if (answer.Text.Length == 0 && answer.Status == 414)
            return null;
        if (answer.Text.Contains("<script>alert(1)", StringComparison.Ordinal) && answer.MediaType == "text/html")
            return "the script came back in a page, unescaped";
        return IsPage(op, answer.Status) ? PageProblem(answer) : ProblemDetailsProblem(answer);
    }

    private static string PathOf(HostileRequest request) => request.PathAndQuery.Split('?')[0];

    // A patient page answers its errors as pages; the status's documented media type says so, else any 4xx's.
    private static bool IsPage(ApiOperation op, int status) =>
        op.Responses.TryGetValue(status, out var documented)
            ? documented["content"]?.AsObject().ContainsKey("text/html") == true
            : op.Responses.Where(r => r.Key >= 400)
                .Any(r => r.Value["content"]?.AsObject().ContainsKey("text/html") == true);

    private static string? PageProblem(HostileAnswer answer) =>
        answer.MediaType != "text/html" ? $"a patient page answered {answer.MediaType}, not a page"
        : !answer.Text.Contains("<h1", StringComparison.Ordinal) ? "a page without a heading saying what happened"
        : null;

    private static string? ProblemDetailsProblem(HostileAnswer answer)
    {
        if (answer.MediaType != "application/problem+json")
            return $"answered {answer.MediaType ?? "no body"}, not application/problem+json";
        JsonObject problem;
        try
        {
            problem = JsonNode.Parse(answer.Text)!.AsObject();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return "problem details that are not a JSON object";
        }
        if (problem["title"] is null || problem["status"]?.GetValue<int>() != answer.Status)
            return "problem details without a title or with another status";
        if (answer.Status == 400 && problem["errors"]?.AsObject().Count is not > 0 && problem["field"] is null)
            return "a 400 that names no field";
        return null;
    }
}
