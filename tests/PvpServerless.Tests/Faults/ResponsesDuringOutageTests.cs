using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.FollowUp;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Patients;
using PvpServerless.Tests.Survey;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// Posts that arrive while storage is away — a patient's questionnaire, a coordinator's paper response, an enrolment
/// — are answered 503 with Retry-After (never 500) and nothing is half-written; the same posts after the restart are
/// stored, once.
/// </summary>
public sealed partial class ResponsesDuringOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static bool Enabled => FaultSuite.All;

    [GeneratedRegex("name=\"check\" value=\"([A-Za-z0-9_-]{43})\"")]
    private static partial Regex CheckField();

    internal static object PaperResponse =>
        new
        {
            wave = "3m",
            completedAt = "2025-07-01T09:30:00Z",
            eq5d = new
            {
                mobility = 2,
                selfCare = 1,
                usualActivities = 2,
                pain = 2,
                anxiety = 1,
                vas = 65,
            },
            odi = new int?[] { 2, 1, 2, 1, 1, 2, 1, null, 1, 1 },
        };

    [Fact(Skip = FaultSuite.SlowSkip, SkipUnless = nameof(Enabled))]
    public async Task Posts_while_storage_is_away_get_503_with_Retry_After_and_are_stored_once_after_it()
    {
        var started = Stopwatch.GetTimestamp();
        await using var azurite = await FaultAzurite.StartAsync(Ct);
        await using var host = new FaultHost(azurite, "resp", new Dictionary<string, string?>());
        await host.StartAsync();
        var patient = Enrolments.NewStudyId();
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(host, FaultHost.Enrolment(patient))).StatusCode);
        var paper = Enrolments.Valid();
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(host, paper)).StatusCode);
        var paperId = (string)paper["studyId"]!;
        var late = Enrolments.Valid();
        Assert.Equal(200, await host.RunAsync("ScheduleFollowUps", "", Ct));
        var token = await TokenAsync(host, patient, Ct);
        var page = await host.Anonymous.GetStringAsync($"/api/survey/{token}", Ct);
        var form = new Dictionary<string, string>(SurveyClient.Complete())
        {
            ["check"] = CheckField().Match(page).Groups[1].Value,
        };

        await azurite.StopAsync();
        var during = new List<(string What, HttpResponseMessage Answer, TimeSpan Took)>();
        during.Add(await TimedAsync("survey post", () => PostFormAsync(host, token, form)));
        during.Add(await TimedAsync("paper response", () => PostPaperAsync(host, paperId)));
        during.Add(await TimedAsync("enrolment", () => EnrolAsync(host, late)));
        await azurite.StartAgainAsync(Ct);

        var shown = string.Join(
            ", ",
            during.Select(d => $"{d.What} {(int)d.Answer.StatusCode} in {d.Took.TotalSeconds:0.0} s")
        );
        Assert.All(
            during,
            d =>
            {
                Assert.True(d.Answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{d.What}: {shown}");
                Assert.True(d.Answer.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{d.What}: no Retry-After");
            }
        );
        // Nothing half-written: the patient's wave is still open, the paper patient has no response, no enrolment.
        Assert.Empty(await RowsAsync(host, patient, "response|"));
        Assert.Empty(await RowsAsync(host, paperId, "response|"));
        Assert.Empty(await RowsAsync(host, (string)late["studyId"]!, ""));

        // The same posts again, as a client that honours Retry-After: stored, and once only.
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(host, token, form)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await PostFormAsync(host, token, form)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostPaperAsync(host, paperId)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(host, late)).StatusCode);
        Assert.Single(await RowsAsync(host, patient, "response|"));
        Assert.Single(await RowsAsync(host, paperId, "response|"));
        var index = await FaultChecks.StatusIndexAsync(host.Services, Ct);
        FaultSuite.Report(
            "Posts while Azurite is away",
            $"{shown}; after the restart each stored once; {FaultChecks.Show(index)}; "
                + $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"
        );
    }

    private static Task<HttpResponseMessage> EnrolAsync(FaultHost host, object body) =>
        host.Client.PostAsJsonAsync("/api/patients", body, Ct);

    private static Task<HttpResponseMessage> PostPaperAsync(FaultHost host, string studyId) =>
        host.Client.PostAsJsonAsync($"/api/patients/{studyId}/responses", PaperResponse, Ct);

    private static async Task<(string, HttpResponseMessage, TimeSpan)> TimedAsync(
        string what,
        Func<Task<HttpResponseMessage>> post
    )
    {
        var watch = Stopwatch.StartNew();
        var answer = await post();
        return (what, answer, watch.Elapsed);
    }

    private static Task<HttpResponseMessage> PostFormAsync(
        FaultHost host,
        string token,
        Dictionary<string, string> form
    ) =>
        host.Anonymous.PostAsync($"/api/survey/{token}", new FormUrlEncodedContent(form), Ct);

    /// <summary>The invitation's token, once the host's queue runner has sent it into the outbox.</summary>
    internal static async Task<string> TokenAsync(FaultHost host, string studyId, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var sent = (await host.OutboxAsync(ct)).FirstOrDefault(m => m.To == FollowUpWorld.Address(studyId));
            if (sent is not null)
                return DeliveryHostFixture.TokenOf(sent);
            await Task.Delay(200, ct);
        }
        throw new TimeoutException("The invitation did not reach the outbox.");
    }

    private static async Task<List<TableEntity>> RowsAsync(FaultHost host, string studyId, string rowPrefix)
    {
        var storage = host.Services.GetRequiredService<Storage.PvpStorage>();
        var key = studyId.ToUpperInvariant();
        var filter = rowPrefix.Length == 0
            ? $"PartitionKey eq '{key}'"
            : $"PartitionKey eq '{key}' and RowKey ge '{rowPrefix}' and RowKey lt '{rowPrefix}~'";
        return await storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: Ct).ToListAsync(Ct);
    }
}
