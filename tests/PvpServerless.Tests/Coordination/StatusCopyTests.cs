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
/// The narrow copy of the status index's counts (docs/storage.md, "The copy"): one summed <c>Cells</c> and a version
/// per shard, written under its ETag. Writers racing on one due day, of one shard and of different shards, leave it
/// equal to the sum of the shards; a late writer of an older version changes nothing; the wide layout of before is
/// converted by the check's repair.
/// </summary>
public sealed class StatusCopyTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day0 = new(2025, 3, 3);

    private static T Service<T>(FollowUpWorld world)
        where T : notnull => world.Host(0).GetRequiredService<T>();

    [Fact]
    public async Task Writers_of_one_shard_and_of_different_shards_racing_leave_the_copy_at_the_sum_of_the_shards()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        // Twelve patients in one shard (they race on its counts and on the copy), twelve in twelve other shards.
        var candidates = Enumerable.Range(1, 2000).Select(i => $"CONV-{i:D4}").ToList();
        var sameShard = candidates.Where(id => StatusIndexKeys.ShardOf(StudyIds.Key(id)) == 3).Take(12);
        var otherShards = candidates
            .Where(id => StatusIndexKeys.ShardOf(StudyIds.Key(id)) != 3)
            .GroupBy(id => StatusIndexKeys.ShardOf(StudyIds.Key(id)))
            .Take(12)
            .Select(g => g.First());
        var ids = sameShard.Concat(otherShards).ToList();
        Assert.Equal(24, ids.Count);
        foreach (var id in ids)
            await world.EnrolAsync(Day0, Ct, id);

        // Every baseline answered, three times over (a later answer day each round: another cell), and every
        // writer's sync started at once, as a burst of responses would: same-shard writers race on their counts,
        // all of them on the copy.
        var index = Service<StatusIndex>(world);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ids.Count, CancellationToken = Ct };
        foreach (var late in new[] { 0, 3, 6 })
        {
            await Parallel.ForEachAsync(
                ids,
                parallel,
                async (id, ct) =>
                    await world.Storage.Patients.UpdateEntityAsync(
                        new TableEntity(StudyIds.Key(id), "wave|baseline")
                        {
                            ["AnsweredAt"] = FollowUpWorld.At(Day0.AddDays(late), 10),
                            ["State"] = "answered",
                        },
                        ETag.All,
                        TableUpdateMode.Merge,
                        ct
                    )
            );
            await Parallel.ForEachAsync(
                ids,
                parallel,
                async (id, ct) =>
                    Assert.Equal(StatusIndex.Outcome.Written, await index.SyncAsync(id, Wave.Baseline, Day0, ct))
            );
        }

        // The copy, read raw: all 24 answered six days after the due day, at the version of each counts row as stored.
        var copy = await world.Storage.FollowUpCounts.GetEntityAsync<TableEntity>(
            "baseline",
            Codes.Format(Day0),
            cancellationToken: Ct
        );
        Assert.Equal("a+6=24", copy.Value.GetString("Cells"));
        Assert.Equal(await RawVersionsAsync(world, "baseline|" + Codes.Format(Day0)), copy.Value.GetString("Versions"));
        var baseline = (await Service<FollowUpSummaryService>(world).GetAsync(Day0, Ct)).Waves[0];
        Assert.Equal((24, 0), (baseline.Answered, baseline.Scheduled));
        Assert.True((await Service<StatusIndexCheck>(world).RunAsync(repair: false, Ct)).Consistent);
    }

    [Fact]
    public async Task Copies_of_every_shard_and_of_many_versions_of_one_shard_at_once_end_at_the_latest_versions()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var (wave, due) = (Wave.OneYear, new DateOnly(2030, 2, 4));
        var partition = StatusIndexKeys.PartitionOf(wave, due);
        var copies = Service<StatusCopy>(world);
        TableEntity Counts(int shard, long version) =>
            new(partition, StatusIndexKeys.CountsRow(shard)) { ["Cells"] = $"s+={version}", ["Version"] = version };

        // Rounds of all sixteen shards, each moved one version, their copies started together (all read one copy,
        // one write wins, the others read again).
        for (var version = 1L; version <= 4; version++)
        {
            var v = version;
            foreach (var shard in Enumerable.Range(0, 16))
                await world.Storage.FollowUpStatus.UpsertEntityAsync(Counts(shard, v), TableUpdateMode.Replace, Ct);
            await Task.WhenAll(
                Enumerable
                    .Range(0, 16)
                    .Select(s =>
                        copies.CopyShardAsync(wave, due, s, v == 1 ? null : Counts(s, v - 1), Counts(s, v), Ct)
                    )
            );
            var versions = string.Join('.', Enumerable.Repeat(v, 16));
            Assert.Equal(($"s+={16 * v}", versions), await CopyAsync(world, wave, due));
        }

        // Shard 7 moved through versions 5 to 12 by eight writers whose copies all run at once, in any order.
        await world.Storage.FollowUpStatus.UpsertEntityAsync(Counts(7, 12), TableUpdateMode.Replace, Ct);
        await Task.WhenAll(
            Enumerable.Range(5, 8).Select(v => copies.CopyShardAsync(wave, due, 7, Counts(7, v - 1), Counts(7, v), Ct))
        );
        Assert.Equal(("s+=72", "4.4.4.4.4.4.4.12.4.4.4.4.4.4.4.4"), await CopyAsync(world, wave, due));
    }

    [Fact]
    public async Task A_writer_whose_older_version_arrives_after_a_newer_one_leaves_the_copy_as_it_is()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var (wave, due) = (Wave.ThreeMonths, new DateOnly(2030, 1, 7));
        var partition = StatusIndexKeys.PartitionOf(wave, due);
        // Shard 9 copied at version 1. Shard 5: writer A took it from nothing to version 1, writer B from 1 to 2.
        var nine = await AddCountsAsync(world, partition, 9, "s+=2", 1);
        var atOne = new TableEntity(partition, StatusIndexKeys.CountsRow(5))
        {
            ["Cells"] = "s+=1",
            ["Version"] = 1L,
        };
        var atTwo = await AddCountsAsync(world, partition, 5, "a+0=1", 2);
        var copies = Service<StatusCopy>(world);
        await copies.CopyShardAsync(wave, due, 9, null, nine, Ct);

        // B copies first: the copy lacks version 1 of shard 5, so B copies from the counts as stored.
        await copies.CopyShardAsync(wave, due, 5, atOne, atTwo, Ct);
        const string Expected = "a+0=1;s+=2";
        const string Versions = "0.0.0.0.0.2.0.0.0.1.0.0.0.0.0.0";
        Assert.Equal((Expected, Versions), await CopyAsync(world, wave, due));
        // A, late: its version is covered, its difference must not be added again.
        await copies.CopyShardAsync(wave, due, 5, null, atOne, Ct);
        Assert.Equal((Expected, Versions), await CopyAsync(world, wave, due));

        // The next writer of shard 9 moves the copy by its difference alone.
        var nineAtTwo = new TableEntity(partition, StatusIndexKeys.CountsRow(9))
        {
            ["Cells"] = "s+=3",
            ["Version"] = 2L,
        };
        await copies.CopyShardAsync(wave, due, 9, nine, nineAtTwo, Ct);
        Assert.Equal(("a+0=1;s+=3", "0.0.0.0.0.2.0.0.0.2.0.0.0.0.0.0"), await CopyAsync(world, wave, due));
    }

    [Fact]
    public async Task The_check_converts_the_wide_copy_of_before_and_the_summary_stays_the_same()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        for (var i = 0; i < 6; i++)
            await world.EnrolAsync(Day0, Ct);
        await world.DayAsync(Day0, Ct);
        var summary = Service<FollowUpSummaryService>(world);
        var before = Json((await summary.GetAsync(Day0, Ct)).Waves);

        // Each copy as the wide layout wrote it: a cells and a version column per shard, from the counts rows.
        var copies = 0;
        await foreach (var copy in world.Storage.FollowUpCounts.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            var wide = new TableEntity(copy.PartitionKey, copy.RowKey);
            await foreach (
                var counts in world.Storage.FollowUpStatus.QueryAsync<TableEntity>(
                    $"PartitionKey eq '{copy.PartitionKey}|{copy.RowKey}' and RowKey ge '~'",
                    cancellationToken: Ct
                )
            )
            {
                var shard = counts.RowKey[^2..];
                wide["C" + shard] = counts.GetString("Cells");
                wide["V" + shard] = counts.GetInt64("Version");
            }
            await world.Storage.FollowUpCounts.UpdateEntityAsync(wide, ETag.All, TableUpdateMode.Replace, Ct);
            copies++;
        }
        Assert.Equal(3, copies);

        var check = Service<StatusIndexCheck>(world);
        Assert.Equal(new StatusCheckReport(18, 18, 0, 0, 0, 0, 3, true), await check.RunAsync(repair: true, Ct));
        Assert.True((await check.RunAsync(repair: false, Ct)).Consistent);
        await foreach (var copy in world.Storage.FollowUpCounts.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            Assert.DoesNotContain(copy.Keys, k => k.Length == 3 && k[0] is 'C' or 'V');
            Assert.NotNull(copy.GetString("Versions"));
        }
        Assert.Equal(before, Json((await summary.GetAsync(Day0, Ct)).Waves));
    }

    private static async Task<TableEntity> AddCountsAsync(
        FollowUpWorld world,
        string partition,
        int shard,
        string cells,
        long version
    )
    {
        var row = new TableEntity(partition, StatusIndexKeys.CountsRow(shard))
        {
            ["Cells"] = cells,
            ["Version"] = version,
        };
        await world.Storage.FollowUpStatus.AddEntityAsync(row, Ct);
        return row;
    }

    private static async Task<(string? Cells, string? Versions)> CopyAsync(FollowUpWorld world, Wave wave, DateOnly due)
    {
        var copy = await world.Storage.FollowUpCounts.GetEntityAsync<TableEntity>(
            wave.Code(),
            Codes.Format(due),
            cancellationToken: Ct
        );
        return (copy.Value.GetString("Cells"), copy.Value.GetString("Versions"));
    }

    /// <summary>The version of each counts row of a partition as stored (0 where there is none), dot-joined.</summary>
    private static async Task<string> RawVersionsAsync(FollowUpWorld world, string partition)
    {
        var versions = new long[16];
        await foreach (
            var row in world.Storage.FollowUpStatus.QueryAsync<TableEntity>(
                $"PartitionKey eq '{partition}' and RowKey ge '~counts|'",
                cancellationToken: Ct
            )
        )
            versions[int.Parse(row.RowKey[^2..], System.Globalization.CultureInfo.InvariantCulture)] =
                row.GetInt64("Version") ?? 0;
        return string.Join('.', versions);
    }

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);
}
