using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using PvpServerless.Tests.Coordination;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Patients;
using PvpServerless.Tests.Survey;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// While storage is away, every kind of HTTP request — a patient's survey post, an enrolment, a paper response, a
/// coordinator action, the coordinator summary, a patient's record, the report list, the dashboard's pages — is
/// answered 503 with Retry-After within <see cref="Budget"/>: one storage call's bounded SDK retries, then no retry of
/// ours (docs/evidence.md, "Faults").
/// </summary>
public sealed partial class StorageAwayAnswerTests
{
    /// <summary>What a person waiting at a page or a coordinator's script should wait at most for the 503.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"check\" value=\"([A-Za-z0-9_-]{43})\"")]
    private static partial Regex CheckField();

    [Fact]
    public async Task Every_kind_of_request_gets_503_with_Retry_After_within_five_seconds_while_storage_is_away()
    {
        var started = Stopwatch.GetTimestamp();
        await using var azurite = await FaultAzurite.StartAsync(Ct);
        await using var host = new FaultHost(azurite, "away", new Dictionary<string, string?>());
        await host.StartAsync();
        var patient = Enrolments.NewStudyId();
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(host, FaultHost.Enrolment(patient))).StatusCode);
        Assert.Equal(200, await host.RunAsync("ScheduleFollowUps", "", Ct));
        var token = await ResponsesDuringOutageTests.TokenAsync(host, patient, Ct);
        var page = await host.Anonymous.GetStringAsync($"/api/survey/{token}", Ct);
        var form = new Dictionary<string, string>(SurveyClient.Complete())
        {
            ["check"] = CheckField().Match(page).Groups[1].Value,
        };

        await azurite.StopAsync();
        var during = new List<(string What, HttpResponseMessage Answer, TimeSpan Took)>
        {
            await TimedAsync(
                "survey post",
                () => host.Anonymous.PostAsync($"/api/survey/{token}", new FormUrlEncodedContent(form), Ct)
            ),
            await TimedAsync("enrolment", () => EnrolAsync(host, Enrolments.Valid())),
            await TimedAsync(
                "paper response",
                () =>
                    host.Client.PostAsJsonAsync(
                        $"/api/patients/{patient}/responses",
                        ResponsesDuringOutageTests.PaperResponse,
                        Ct
                    )
            ),
            await TimedAsync(
                "opt-out action",
                () => host.Client.PostAsync($"/api/patients/{patient}/opt-out", null, Ct)
            ),
            await TimedAsync("summary", () => host.Client.GetAsync("/api/followups/summary", Ct)),
            await TimedAsync("patient", () => host.Client.GetAsync($"/api/patients/{patient}", Ct)),
            await TimedAsync("report list", () => host.Client.GetAsync("/api/reports", Ct)),
            await TimedAsync("dashboard", () => DashboardAsync(host, "/api/dashboard")),
            await TimedAsync("dashboard patient", () => DashboardAsync(host, $"/api/dashboard/patients/{patient}")),
        };
        var shown = string.Join(
            ", ",
            during.Select(d => $"{d.What} {(int)d.Answer.StatusCode} in {d.Took.TotalSeconds:0.0} s")
        );
        FaultSuite.Report(
            "Requests while Azurite is away",
            $"{shown}; {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"
        );
        Assert.All(
            during,
            d =>
            {
                Assert.True(d.Answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{d.What}: {shown}");
                Assert.True(d.Answer.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{d.What}: no Retry-After");
                Assert.True(d.Took <= Budget, $"{d.What} took longer than {Budget.TotalSeconds} s: {shown}");
            }
        );
    }

    // As a coordinator signed in on Azure opens it: the platform's principal, no key.
    private static Task<HttpResponseMessage> DashboardAsync(FaultHost host, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(
            "X-MS-CLIENT-PRINCIPAL",
            ActionRequests.Principal(("name", "Anna Berg"), (ActionRequests.ObjectIdClaim, "5f1c2a0e"))
        );
        return host.Anonymous.SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> EnrolAsync(FaultHost host, object body) =>
        host.Client.PostAsJsonAsync("/api/patients", body, Ct);

    private static async Task<(string, HttpResponseMessage, TimeSpan)> TimedAsync(
        string what,
        Func<Task<HttpResponseMessage>> send
    )
    {
        var watch = Stopwatch.StartNew();
        var answer = await send();
        return (what, answer, watch.Elapsed);
    }
}
