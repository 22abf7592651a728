using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Survey;
using PvpServerless.Tests.AzureDeployment;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Survey;

/// <summary>
/// The survey post's status-index sync, taken off its path (docs/storage.md, "Index pending"). Over the core services
/// alone no drain runs: exactly what a crash right after the answer's transaction leaves behind.
/// </summary>
public sealed class SurveyIndexPendingTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SurveyServiceWorld _world = new(azurite);

    [Fact]
    public async Task An_answer_whose_sync_never_ran_leaves_a_pending_row_that_the_sweep_finishes()
    {
        await using var services = _world.Services();
        var storage = services.GetRequiredService<PvpStorage>();
        await storage.EnsureCreatedAsync(Ct);
        var (studyId, token) = await SurveyServiceWorld.InvitedAsync(services);
        var check = services.GetRequiredService<StatusIndexCheck>();
        Assert.True((await check.RunAsync(repair: false, Ct)).Consistent);

        _world.Requests.Clear();
        var outcome = await services
            .GetRequiredService<SurveyService>()
            .SubmitAsync(SurveyServiceWorld.Post(token, Language.Da), Ct);

        // The post's whole path: the link, the patient and the wave, one transaction. Nothing of the index.
        Assert.Equal(new SurveyOutcome.Received(Language.Da), outcome);
        var prefix = _world.Prefix;
        Assert.Equal(
            [$"GET {prefix}Patients", $"GET {prefix}Patients", $"GET {prefix}Tokens", "POST $batch"],
            _world.Counted()
        );
        var pending = await PendingAsync(storage, studyId);
        Assert.True(pending.HasValue);
        // The answered baseline's entry is stale until the sync runs: the one wave the answer changed.
        var before = await check.RunAsync(repair: false, Ct);
        Assert.Equal((0, 1, 0), (before.Missing, before.Stale, before.Orphaned));

        var finished = await services.GetRequiredService<StatusIndexBacklog>().SweepAsync(Ct);

        Assert.Equal(1, finished);
        var after = await check.RunAsync(repair: false, Ct);
        Assert.True(after.Consistent, after.ToString());
        var gone = await PendingAsync(storage, studyId);
        Assert.False(gone.HasValue);
        // A second sweep finds nothing left to do.
        Assert.Equal(0, await services.GetRequiredService<StatusIndexBacklog>().SweepAsync(Ct));
    }

    [Fact]
    public async Task The_drain_gives_way_while_a_post_is_in_flight_then_syncs_a_due_days_answers_with_one_copy_move()
    {
        await using var services = _world.Services();
        var storage = services.GetRequiredService<PvpStorage>();
        await storage.EnsureCreatedAsync(Ct);
        // Three patients of one due day (the same procedure date) whose entries fall into three different shards.
        var ids = Enumerable
            .Range(1, 64)
            .Select(i => $"DRAIN-{i:D3}")
            .DistinctBy(id => StatusIndexKeys.ShardOf(StudyIds.Key(id)))
            .Take(3)
            .ToList();
        var tokens = new List<SurveyToken>();
        foreach (var id in ids)
            tokens.Add((await SurveyServiceWorld.InvitedAsync(services, id)).Token);
        var backlog = services.GetRequiredService<StatusIndexBacklog>();
        var survey = services.GetRequiredService<SurveyService>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var drain = backlog.RunAsync(stop.Token);

        // Another patient's post is in flight the whole time the three answer.
        var other = backlog.BeginPost();
        foreach (var token in tokens)
        {
            var answered = await survey.SubmitAsync(SurveyServiceWorld.Post(token, Language.Da), Ct);
            Assert.Equal(new SurveyOutcome.Received(Language.Da), answered);
        }
        await Task.Delay(4 * StatusIndexBacklog.Quiet, Ct);

        Assert.Equal(3, backlog.Open);
        foreach (var id in ids)
            Assert.True((await PendingAsync(storage, id)).HasValue);

        _world.Requests.Clear();
        other.Dispose();
        // Not WhenIdleAsync: a waiter makes the drain go on at once. The posts have paused: it goes on by itself.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (backlog.Open > 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(20, Ct);

        Assert.Equal(0, backlog.Open);
        // The three entries in one transaction, and the copy of their partition read once and written once (three
        // shards moved together), where a sync per shard reads and writes it three times.
        var counts = _world.Prefix + "FollowUpCounts";
        var copy = _world.Requests.Requests.Where(r => r.Uri.AbsolutePath.Contains(counts)).ToList();
        Assert.Equal(["GET", "PUT"], copy.Select(r => r.Method).Order(StringComparer.Ordinal));
        foreach (var id in ids)
            Assert.False((await PendingAsync(storage, id)).HasValue);
        var after = await services.GetRequiredService<StatusIndexCheck>().RunAsync(repair: false, Ct);
        Assert.True(after.Consistent, after.ToString());
        await stop.CancelAsync();
        await drain;
    }

    private static async Task<NullableResponse<TableEntity>> PendingAsync(PvpStorage storage, string studyId) =>
        await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            StudyIds.Key(studyId),
            "index|baseline",
            cancellationToken: Ct
        );
}
