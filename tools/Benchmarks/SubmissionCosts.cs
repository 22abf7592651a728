using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Benchmarks;

/// <summary>
/// What each kind of storage request of a survey post costs Azurite, alone (docs/survey.md, "Under load"): the
/// benchmark's world (the same tables, seeded and indexed), then each kind sent for every seeded patient, a few at a
/// time, with Azurite's CPU time read before and after. Writes leave the rows as they were (a merge of nothing, a
/// replace with itself) or touch rows of their own, so the kinds can be taken in any order.
/// </summary>
internal static class SubmissionCosts
{
    private sealed record Target(
        string StudyId,
        string Token,
        string Partition,
        string WaveRow,
        string IndexPartition,
        string Entry,
        string Counts,
        Wave Wave,
        DateOnly DueDate
    );

    public static async Task<int> RunAsync(int patients, int clients, CancellationToken cancellationToken)
    {
        await using var world = await SubmissionWorld.StartAsync(cancellationToken);
        var invitees = await world.SeedAsync("COST", patients, DueDays.Spread, cancellationToken);
        await world.Services.GetRequiredService<StatusIndexCheck>().RunAsync(repair: true, cancellationToken);
        var storage = world.Services.GetRequiredService<PvpStorage>();
        var tokens = world.Services.GetRequiredService<TokenStore>();
        var options = world.Services.GetRequiredService<IOptions<FollowUpOptions>>().Value;
        var targets = new List<Target>();
        foreach (var invitee in invitees)
        {
            var partition = StudyIds.Key(invitee.StudyId);
            var waveRow = "wave|" + invitee.Wave.Code();
            var row = (await storage.Patients.GetEntityAsync<TableEntity>(partition, waveRow, null, cancellationToken))
                .Value;
            var due = WaveState.From(row, options).DueDate;
            var key = StudyIds.Key(invitee.StudyId);
            targets.Add(
                new Target(
                    invitee.StudyId,
                    invitee.Link.Segments[^1],
                    partition,
                    waveRow,
                    StatusIndexKeys.PartitionOf(invitee.Wave, due),
                    key,
                    StatusIndexKeys.CountsRow(StatusIndexKeys.ShardOf(key)),
                    invitee.Wave,
                    due
                )
            );
        }
        var floor = await world.FloorsAsync(clients, patients, cancellationToken);
        Console.WriteLine(
            $"Azurite CPU per request kind, {patients:N0} patients seeded and indexed, {clients} at a time "
                + $"(uptime: {Uptime()})"
        );
        Console.WriteLine($"{"request",-60} {"ms CPU",7} {"inserts",8}");
        void Show(string what, double ms) =>
            Console.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"{what,-60} {ms,7:F2} {ms / floor.InsertCpuMs,8:F1}")
            );
        Show("single insert, a table of its own (the floor)", floor.InsertCpuMs);
        Show("point read, a table of its own", floor.ReadCpuMs);
        Show("4-row add transaction, a table of its own", floor.BatchCpuMs);
        var p = storage.Patients;
        var s = storage.FollowUpStatus;
        Show(
            "GET Tokens (the link)",
            await CostAsync(world, targets, clients, (t, ct) => tokens.FindAsync(t.Token, ct))
        );
        var record = await CostAsync(
            world,
            targets,
            clients,
            (t, ct) => Read(p, t.Partition, "patient", ct)
        );
        Show("GET Patients: the record", record);
        var wave = await CostAsync(world, targets, clients, (t, ct) => Read(p, t.Partition, t.WaveRow, ct));
        Show("GET Patients: the wave", wave);
        Show(
            "query Patients: record and wave in one (a scan in Azurite)",
            await CostAsync(
                world,
                targets.Take(Math.Max(1, targets.Count / 10)).ToList(),
                clients,
                (t, ct) =>
                    p.QueryAsync<TableEntity>(
                            $"PartitionKey eq '{t.Partition}' and (RowKey eq 'patient' or RowKey eq '{t.WaveRow}')",
                            cancellationToken: ct
                        )
                        .ToListAsync(ct)
                        .AsTask()
            )
        );
        Show(
            "POST $batch Patients: 2 merges (ETag), 2 adds (the answer)",
            await CostAsync(world, targets, clients, (t, ct) => Answer(p, t, 2, "a", ct)) - record - wave
        );
        Show(
            "POST $batch Patients: 2 merges, 3 adds (+ a pending row)",
            await CostAsync(world, targets, clients, (t, ct) => Answer(p, t, 3, "b", ct)) - record - wave
        );
        Show(
            "DELETE Patients: one row (the pending row's removal)",
            await CostAsync(world, targets, clients, (t, ct) => p.DeleteEntityAsync(t.Partition, "b|2", ETag.All, ct))
        );
        var entry = await CostAsync(world, targets, clients, (t, ct) => Read(s, t.IndexPartition, t.Entry, ct));
        Show("GET FollowUpStatus: the entry", entry);
        var counts = await CostAsync(world, targets, clients, (t, ct) => Read(s, t.IndexPartition, t.Counts, ct));
        Show("GET FollowUpStatus: the shard's counts", counts);
        Show(
            "POST $batch FollowUpStatus: entry and counts replaced",
            await CostAsync(world, targets, clients, (t, ct) => Reindex(s, t, ct)) - entry - counts
        );
        Show(
            "PATCH FollowUpCounts: a shard's columns merged (the copy)",
            await CostAsync(
                world,
                targets,
                clients,
                (t, ct) =>
                    storage.FollowUpCounts.UpsertEntityAsync(
                        new TableEntity(t.Wave.Code(), Codes.Format(t.DueDate)) { ["Bench"] = 1 },
                        TableUpdateMode.Merge,
                        ct
                    )
            )
        );
        Timing.PrintPeakMemory(Console.Out);
        return 0;
    }

    public static string Uptime() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static async Task<TableEntity?> Read(TableClient table, string pk, string rk, CancellationToken ct)
    {
        var read = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
        return read.HasValue ? read.Value : null;
    }

    /// <summary>The answer's transaction in shape: record and wave merged under an ETag, rows of its own.</summary>
    private static async Task<object> Answer(TableClient table, Target t, int adds, string prefix, CancellationToken ct)
    {
        var record = (await table.GetEntityAsync<TableEntity>(t.Partition, "patient", null, ct)).Value;
        var wave = (await table.GetEntityAsync<TableEntity>(t.Partition, t.WaveRow, null, ct)).Value;
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.UpdateMerge, new TableEntity(t.Partition, record.RowKey), record.ETag),
            new(TableTransactionActionType.UpdateMerge, new TableEntity(t.Partition, wave.RowKey), wave.ETag),
            .. Enumerable
                .Range(0, adds)
                .Select(i => new TableTransactionAction(
                    TableTransactionActionType.Add,
                    new TableEntity(t.Partition, $"{prefix}|{i}")
                    {
                        ["At"] = DateTimeOffset.UtcNow,
                        ["Details"] = new string('x', 200),
                    }
                )),
        ];
        return await table.SubmitTransactionAsync(batch, ct);
    }

    private static async Task<object> Reindex(TableClient table, Target t, CancellationToken ct)
    {
        var entry = (await table.GetEntityAsync<TableEntity>(t.IndexPartition, t.Entry, null, ct)).Value;
        var counts = (await table.GetEntityAsync<TableEntity>(t.IndexPartition, t.Counts, null, ct)).Value;
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.UpdateReplace, entry, entry.ETag),
            new(TableTransactionActionType.UpdateReplace, counts, counts.ETag),
        ];
        return await table.SubmitTransactionAsync(batch, ct);
    }

    /// <summary>
    /// Azurite's CPU per operation in ms. Operations that read first (to get an ETag) pay for those reads too: the
    /// reads' own cost, measured alone above, is taken off.
    /// </summary>
    private static async Task<double> CostAsync<T>(
        SubmissionWorld world,
        IReadOnlyList<Target> targets,
        int clients,
        Func<Target, CancellationToken, Task<T>> operation
    )
    {
        var before = world.Cpu().Azurite;
        await Parallel.ForEachAsync(
            targets,
            new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (t, ct) => await operation(t, ct)
        );
        return (world.Cpu().Azurite - before).TotalMilliseconds / targets.Count;
    }
}
