using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Coordination;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Tests.FollowUp;

namespace PvpServerless.Tests.Survey;

/// <summary>
/// Many patients with the same due day answering at the same moment (docs/survey.md, "Under load"): every answer is
/// stored and the status index ends exactly right, its entries, counts and copies as the check derives them from the
/// patient partitions, although every one of them writes into the same index partition.
/// </summary>
public sealed class SurveyBurstTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private const int Patients = 48;

    private readonly SurveyClient _browser = new(host);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Patients_sharing_a_due_day_who_answer_at_once_leave_the_status_index_exactly_right()
    {
        var tokens = await InviteAsync(Patients);
        var checks = new string[Patients];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Patients),
            Ct,
            async (i, _) =>
                checks[i] = SurveyClient.CheckOf((await _browser.GetAsync(SurveyClient.PathOf(tokens[i]))).Html)
        );

        var statuses = new HttpStatusCode[Patients];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Patients),
            new ParallelOptions { MaxDegreeOfParallelism = Patients, CancellationToken = Ct },
            async (i, _) =>
                statuses[i] = (
                    await _browser.PostAsync(SurveyClient.PathOf(tokens[i], "da"), checks[i], SurveyClient.Complete())
                ).Status
        );

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        // Three waves per patient; nothing missing, stale or orphaned, every count and copy equal to its entries.
        var report = await host.Services.GetRequiredService<StatusIndexCheck>().RunAsync(repair: false, Ct);
        Assert.Equal(new StatusCheckReport(3 * Patients, 3 * Patients, 0, 0, 0, 0, 0, false), report);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var summary = await host.Services.GetRequiredService<FollowUpSummaryService>().GetAsync(today, Ct);
        Assert.Equal((Patients, 0), (summary.Waves[0].Answered, summary.Waves[0].Invited));
    }

    /// <summary>
    /// Enrols <paramref name="count"/> patients, all with yesterday's procedure (one due day), runs the scheduler
    /// once and sends every invitation; their links' tokens, in order.
    /// </summary>
    private async Task<string[]> InviteAsync(int count)
    {
        var procedure = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ids = Enumerable.Range(1, count).Select(i => $"SRV-BURST-{i:D3}").ToArray();
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct },
            async (id, ct) =>
            {
                var enrol = await host.Client.PostAsJsonAsync(
                    "/api/patients",
                    new
                    {
                        studyId = id,
                        sex = "M",
                        ageAtProcedure = 68,
                        primaryMalignancy = "breast",
                        diagnosisBasis = "mri",
                        procedureDate = procedure,
                        levels = new[] { new { level = "L2", posteriorWallDefect = false } },
                        complications = Array.Empty<object>(),
                        email = $"{id.ToLowerInvariant()}@example.dk",
                        language = "da",
                    },
                    ct
                );
                Assert.True(enrol.IsSuccessStatusCode, await enrol.Content.ReadAsStringAsync(ct));
            }
        );
        await host.RunAsync("ScheduleFollowUps", "");
        var queue = host.Storage.Queues.GetQueueClient(host.Prefix + "-invitations");
        while ((await queue.ReceiveMessagesAsync(32, cancellationToken: Ct)).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                await host.RunAsync("SendInvitation", message.MessageText);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
            }
        }
        var sent = await new OutboxReader(host.Storage).ListAsync(OutboxReader.MaxTake, Ct);
        return
        [
            .. ids.Select(id =>
                DeliveryHostFixture.TokenOf(sent.Single(m => m.To == $"{id.ToLowerInvariant()}@example.dk"))
            ),
        ];
    }
}
