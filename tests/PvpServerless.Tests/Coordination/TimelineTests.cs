using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Responses;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Coordination;

/// <summary>One patient's timeline: the audit lines in order, who did each, scores, the current contact only.</summary>
public sealed class TimelineTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day0 = new(2025, 6, 2);

    [Fact]
    public async Task The_timeline_tells_who_did_what_in_order_with_the_scores_and_the_current_contact_only()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(Day0, Ct);
        await world.DayAsync(Day0, Ct, hour: 9);
        world.SetTime(Day0.AddDays(2), 10);
        var eq5d = new Dictionary<string, int?>
        {
            ["mobility"] = 2,
            ["selfCare"] = 2,
            ["usualActivities"] = 2,
            ["pain"] = 2,
            ["anxiety"] = 2,
            ["vas"] = 60,
        };
        var completedAt = FollowUpWorld
            .At(Day0.AddDays(2), 9)
            .ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        var stored = await world
            .Host(0)
            .GetRequiredService<ResponseService>()
            .StoreAsync(
                id,
                new ResponseRequest("baseline", completedAt, eq5d, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]),
                new Actor("coordinator", "AB"),
                Ct
            );
        Assert.IsType<ResponseResult.Stored>(stored);
        world.SetTime(Day0.AddDays(3), 10);
        var change = new PatientEventRequest("contactChange", null, null, null, null, null, "moved@example.dk", "da");
        var changed = await world
            .Host(0)
            .GetRequiredService<PatientEventService>()
            .RecordAsync(id, change, new Actor("coordinator", "CD"), Ct);
        Assert.IsType<EventResult.Applied>(changed);

        var timeline = (await world.Host(0).GetRequiredService<PatientTimelineService>().GetAsync(id, Ct))!;

        // The fake clock stands still during a scheduler run and its sends: lines of one instant come in any order.
        Assert.Equal(
            [
                "coordinator enrolled",
                "scheduler emailQueued, sender emailClaimed, sender invitationSent",
                "coordinator:AB response",
                "coordinator:CD contactChange",
            ],
            timeline
                .Entries.GroupBy(e => e.At)
                .Select(g => string.Join(", ", g.Select(e => $"{e.Actor} {e.Action}").Order()))
        );
        Assert.True(timeline.Entries.Zip(timeline.Entries.Skip(1)).All(p => p.First.At <= p.Second.At));
        var response = timeline.Entries.Single(e => e.Action == "response");
        // EQ-5D-3L 22222 under the Danish value set is 0.592 (tests/…/ScoreCommandTests.cs); ODI all 2s is 40 %.
        Assert.Equal(
            ("baseline", 0.592, 60, 40.0, 2),
            (
                response.Wave,
                Math.Round(response.Scores!.Eq5dIndex!.Value, 3),
                response.Scores.Vas,
                response.Scores.Odi,
                response.Scores.Pain
            )
        );
        Assert.Equal(new TimelineContact("moved@example.dk", "da"), timeline.Contact);
        Assert.Equal(["answered", "scheduled", "scheduled"], timeline.Waves.Select(w => w.Status));
        // Addresses, old or new, appear only as the current contact, never in the history.
        var history = JsonSerializer.Serialize(timeline.Entries);
        Assert.DoesNotContain("@", history);
    }

    [Fact]
    public async Task Reading_a_timeline_repairs_the_patients_stale_index_entries()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(Day0, Ct);
        await world.DayAsync(Day0, Ct);
        // A wave changed by a writer that died before its sync.
        await world.Storage.Patients.UpdateEntityAsync(
            new TableEntity(StudyIds.Key(id), "wave|baseline") { ["State"] = "failed", ["FailureReason"] = "x" },
            ETag.All,
            TableUpdateMode.Merge,
            Ct
        );
        var check = world.Host(0).GetRequiredService<StatusIndexCheck>();
        Assert.Equal(1, (await check.RunAsync(repair: false, Ct)).Stale);

        await world.Host(0).GetRequiredService<PatientTimelineService>().GetAsync(id, Ct);

        Assert.True((await check.RunAsync(repair: false, Ct)).Consistent);
        var summary = await world.Host(0).GetRequiredService<FollowUpSummaryService>().GetAsync(world.Today, Ct);
        Assert.Equal((1, 0), (summary.Waves[0].Failed, summary.Waves[0].Invited));
    }
}
