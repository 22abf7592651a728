using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// The status index when a crash falls between a wave's write and the index's (docs/storage.md, "FollowUpStatus"):
/// the rows are broken by hand, as a crash would leave them, and the scheduler's next look, the check and its repair
/// put them right.
/// </summary>
public sealed class StatusIndexTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day0 = new(2025, 3, 3);

    private static T Service<T>(FollowUpWorld world)
        where T : notnull => world.Host(0).GetRequiredService<T>();

    [Fact]
    public async Task An_answer_whose_index_write_was_lost_is_indexed_at_the_schedulers_next_look()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(Day0, Ct);
        await world.DayAsync(Day0, Ct);
        Assert.Equal(1, (await SummaryAsync(world)).Waves[0].Invited);

        // What ResponseService writes, without the sync after it (the process died in between).
        await world.Storage.Patients.UpdateEntityAsync(
            new TableEntity(StudyIds.Key(id), "wave|baseline")
            {
                ["AnsweredAt"] = FollowUpWorld.At(Day0.AddDays(2), 10),
                ["State"] = "answered",
            },
            ETag.All,
            TableUpdateMode.Merge,
            Ct
        );
        var stale = await Service<StatusIndexCheck>(world).RunAsync(repair: false, Ct);
        Assert.Equal((1, false), (stale.Stale, stale.Consistent));

        // The reminder day: the scheduler looks at the wave, decides it is answered, and syncs its entry.
        await world.DayAsync(Day0.AddDays(7), Ct);
        var baseline = (await SummaryAsync(world)).Waves[0];
        Assert.Equal((0, 1), (baseline.Invited, baseline.Answered));
        Assert.True((await Service<StatusIndexCheck>(world).RunAsync(repair: false, Ct)).Consistent);
    }

    [Fact]
    public async Task The_check_finds_what_a_crash_leaves_and_its_repair_puts_it_right()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add(await world.EnrolAsync(Day0, Ct));
        await world.DayAsync(Day0, Ct);
        var before = await SummaryAsync(world);
        var check = Service<StatusIndexCheck>(world);
        Assert.Equal(new StatusCheckReport(9, 9, 0, 0, 0, 0, 0, false), await check.RunAsync(repair: false, Ct));

        // A wave expired without its sync; another wave's entry lost with its counts (a partition written by hand);
        // an entry of a patient that is not there; a copy of counts gone wrong.
        await world.Storage.Patients.UpdateEntityAsync(
            new TableEntity(StudyIds.Key(ids[0]), "wave|baseline") { ["State"] = "expired" },
            ETag.All,
            TableUpdateMode.Merge,
            Ct
        );
        var threeMonths = StatusIndexKeys.PartitionOf(Wave.ThreeMonths, Wave.ThreeMonths.DueDate(Day0));
        await world.Storage.FollowUpStatus.DeleteEntityAsync(threeMonths, StudyIds.Key(ids[1]), ETag.All, Ct);
        var ghost = new StatusEntry(
            "GHOST-1",
            Wave.OneYear,
            new(2026, 1, 5),
            new(2025, 12, 29),
            new(2026, 2, 2),
            WaveStatus.Scheduled,
            true,
            null,
            null,
            0,
            null,
            null,
            null,
            null,
            null,
            null
        );
        await world.Storage.FollowUpStatus.AddEntityAsync(ghost.ToEntity(), Ct);
        await world.Storage.FollowUpCounts.UpdateEntityAsync(
            new TableEntity("1y", Codes.Format(Wave.OneYear.DueDate(Day0)))
            {
                ["Cells"] = "s+=99",
            },
            ETag.All,
            TableUpdateMode.Merge,
            Ct
        );

        var found = await check.RunAsync(repair: true, Ct);
        // Missing 1 (ids[1]'s 3m), stale 1 (ids[0]'s baseline), orphaned 1 (the ghost); counts wrong in the 3m
        // partition (they still count the lost entry) and the ghost's (none); the 1y copy, emptied by hand.
        Assert.Equal(new StatusCheckReport(9, 9, 1, 1, 1, 2, 1, true), found);
        Assert.Equal(new StatusCheckReport(9, 9, 0, 0, 0, 0, 0, false), await check.RunAsync(repair: false, Ct));
        var after = await SummaryAsync(world);
        Assert.Equal((before.Waves[0].Invited - 1, 1), (after.Waves[0].Invited, after.Waves[0].Expired));
        Assert.Equal(Json(before.Waves[1]), Json(after.Waves[1]));
        Assert.Equal(Json(before.Waves[2]), Json(after.Waves[2]));
    }

    [Fact]
    public async Task A_repair_rebuilds_an_index_lost_entirely()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        for (var i = 0; i < 4; i++)
            await world.EnrolAsync(Day0.AddDays(-i), Ct);
        await world.DayAsync(Day0, Ct);
        var before = await SummaryAsync(world);
        foreach (var table in (TableClient[])[world.Storage.FollowUpStatus, world.Storage.FollowUpCounts])
        {
            await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
                await table.DeleteEntityAsync(row, ETag.All, Ct);
        }
        Assert.Equal(0, (await SummaryAsync(world)).Waves.Sum(w => w.Scheduled + w.Invited));

        var rebuilt = await Service<StatusIndexCheck>(world).RunAsync(repair: true, Ct);
        Assert.Equal((12, 0, 12), (rebuilt.Waves, rebuilt.Entries, rebuilt.Missing));
        Assert.True((await Service<StatusIndexCheck>(world).RunAsync(repair: false, Ct)).Consistent);
        Assert.Equal(Json(before.Waves), Json((await SummaryAsync(world)).Waves));
    }

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static Task<FollowUpSummary> SummaryAsync(FollowUpWorld world) =>
        Service<FollowUpSummaryService>(world).GetAsync(world.Today, Ct);
}
