using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>What a check of the status index found (and, with repair, put right).</summary>
public sealed record StatusCheckReport(
    int Waves,
    int Entries,
    int Missing,
    int Stale,
    int Orphaned,
    int CountsWrong,
    int CopiesWrong,
    bool Repaired
)
{
    public bool Consistent => Missing + Stale + Orphaned + CountsWrong + CopiesWrong == 0;
}

/// <summary>
/// Compares the status index with the patient partitions, the counts with the entries and the copies with the
/// counts; with repair, writes what differs (docs/storage.md, "FollowUpStatus"). An empty partition is filled in
/// transactions of up to 100 rows (a rebuild); any other difference goes through <see cref="StatusIndex.SyncAsync"/>,
/// which reads the wave again, so a check is safe while the app runs. It scans every patient: an admin's tool, never
/// a request's.
/// </summary>
public sealed class StatusIndexCheck(
    PvpStorage storage,
    StatusIndex index,
    StatusCopy copies,
    ClinicClock clinic,
    IOptions<FollowUpOptions> options,
    ILogger<StatusIndexCheck> log
)
{
    /// <summary>The record and wave rows of every patient, in key order.</summary>
    public const string PatientsFilter = "RowKey eq 'patient' or (RowKey ge 'wave|' and RowKey lt 'wave}')";

    private const int MaxBatch = 100;

    private sealed class Partition
    {
        public Dictionary<string, StatusEntry> Desired { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, TableEntity> Actual { get; } = new(StringComparer.Ordinal);
        public Dictionary<int, TableEntity> Counts { get; } = [];

        /// <summary>Rows after the entries that are no counts row of ours (an older layout's <c>~counts</c>).</summary>
        public List<TableEntity> Strays { get; } = [];
    }

    public async Task<StatusCheckReport> RunAsync(bool repair, CancellationToken cancellationToken)
    {
        var partitions = new SortedDictionary<string, Partition>(StringComparer.Ordinal);
        Partition Of(string key) => partitions.TryGetValue(key, out var p) ? p : partitions[key] = new Partition();

        var waves = 0;
        await foreach (var entry in DesiredAsync(cancellationToken))
        {
            waves++;
            Of(entry.ToEntity().PartitionKey).Desired[StudyIds.Key(entry.StudyId)] = entry;
        }
        var entries = 0;
        await foreach (var row in storage.FollowUpStatus.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (StatusIndexKeys.TryParseCountsRow(row.RowKey, out var shard))
                Of(row.PartitionKey).Counts[shard] = row;
            else if (row.RowKey.StartsWith('~'))
                Of(row.PartitionKey).Strays.Add(row);
            else
            {
                entries++;
                Of(row.PartitionKey).Actual[row.RowKey] = row;
            }
        }
        var copyRows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in storage.FollowUpCounts.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            copyRows[$"{row.PartitionKey}|{row.RowKey}"] = row;

        int missing = 0,
            stale = 0,
            orphaned = 0,
            countsWrong = 0,
            copiesWrong = 0;
        foreach (var (key, p) in partitions)
        {
            if (!StatusIndexKeys.TryParsePartition(key, out var wave, out var due))
                continue;
            var diff = Differences(p);
            missing += diff.Count(d => d.Kind == 'm');
            stale += diff.Count(d => d.Kind == 's');
            orphaned += diff.Count(d => d.Kind == 'o');
            var countsRight = p.Strays.Count == 0 && WrongShards(p.Actual.Values, p.Counts).Count == 0;
            countsWrong += countsRight ? 0 : 1;
            copyRows.Remove(key, out var copy);
            var copyRight = StatusCopy.Matches(copy, p.Counts);
            copiesWrong += copyRight ? 0 : 1;
            if (repair && (diff.Count > 0 || !countsRight || !copyRight))
                await RepairAsync(key, wave, due, p, diff, cancellationToken);
        }
        // Copies of partitions that no longer exist.
        copiesWrong += copyRows.Count;
        if (repair)
        {
            foreach (var copy in copyRows.Values)
                await storage.FollowUpCounts.DeleteEntityAsync(copy, copy.ETag, cancellationToken);
        }
        var report = new StatusCheckReport(waves, entries, missing, stale, orphaned, countsWrong, copiesWrong, repair);
        log.LogInformation(
            "Status index check: {Waves} waves, {Entries} entries; {Missing} missing, {Stale} stale, {Orphaned} "
                + "orphaned, {CountsWrong} counts and {CopiesWrong} copies wrong; repaired: {Repaired}",
            report.Waves,
            report.Entries,
            report.Missing,
            report.Stale,
            report.Orphaned,
            report.CountsWrong,
            report.CopiesWrong,
            report.Repaired
        );
        return report;
    }

    /// <summary>The entry every wave of an active patient should have, from one scan of the patients table.</summary>
    private async IAsyncEnumerable<StatusEntry> DesiredAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        TableEntity? patient = null;
        await foreach (
            var row in storage.Patients.QueryAsync<TableEntity>(
                PatientsFilter,
                maxPerPage: 1000,
                cancellationToken: cancellationToken
            )
        )
        {
            if (row.RowKey == PatientEntities.PatientRow)
            {
                patient = row;
                continue;
            }
            // A partition's rows arrive together, its record ("patient") before its waves ("wave|…").
            if (patient is null || patient.PartitionKey != row.PartitionKey)
                continue;
            var due = WaveState.From(row, options.Value).DueDate;
            if (StatusEntry.Derive(patient, row, due, options.Value, clinic) is { } entry)
                yield return entry;
        }
    }

    private sealed record Difference(char Kind, string StudyId, Wave Wave);

    private static List<Difference> Differences(Partition p)
    {
        var list = new List<Difference>();
        foreach (var (row, want) in p.Desired)
        {
            if (!p.Actual.TryGetValue(row, out var have))
                list.Add(new('m', want.StudyId, want.Wave));
            else if (StatusEntry.FromEntity(have) != want)
                list.Add(new('s', want.StudyId, want.Wave));
        }
        foreach (var (row, have) in p.Actual)
        {
            if (!p.Desired.ContainsKey(row))
            {
                var entry = StatusEntry.FromEntity(have);
                list.Add(new('o', entry.StudyId, entry.Wave));
            }
        }
        return list;
    }

    /// <summary>The shards whose counts row differs from a count of its entries, with the right cells.</summary>
    private static Dictionary<int, Dictionary<string, int>> WrongShards(
        IEnumerable<TableEntity> entries,
        IReadOnlyDictionary<int, TableEntity> counts
    )
    {
        var byShard = entries
            .GroupBy(e => StatusIndexKeys.ShardOf(e.RowKey))
            .ToDictionary(g => g.Key, g => StatusCells.Count(g.Select(StatusEntry.FromEntity)));
        var wrong = new Dictionary<int, Dictionary<string, int>>();
        for (var shard = 0; shard < StatusIndexKeys.Shards; shard++)
        {
            var cells = byShard.GetValueOrDefault(shard) ?? new(StringComparer.Ordinal);
            if (StatusCells.Format(cells) != (counts.GetValueOrDefault(shard)?.GetString("Cells") ?? ""))
                wrong[shard] = cells;
        }
        return wrong;
    }

    private async Task RepairAsync(
        string key,
        Wave wave,
        DateOnly due,
        Partition p,
        List<Difference> diff,
        CancellationToken cancellationToken
    )
    {
        if (p.Actual.Count == 0 && p.Counts.Count == 0 && p.Strays.Count == 0 && p.Desired.Count > 0)
        {
            if (await FillAsync(key, wave, due, [.. p.Desired.Values], cancellationToken))
                return;
        }
        foreach (var d in diff)
            await index.SyncAsync(d.StudyId, d.Wave, due, cancellationToken);
        await RecountAsync(key, wave, due, cancellationToken);
    }

    /// <summary>
    /// A partition the index has never had: each shard's entries and counts in transactions of at most 100 rows, each
    /// with the counts of what is written so far. False when someone else wrote into it meanwhile.
    /// </summary>
    private async Task<bool> FillAsync(
        string key,
        Wave wave,
        DateOnly due,
        IReadOnlyList<StatusEntry> entries,
        CancellationToken cancellationToken
    )
    {
        var filled = new Dictionary<int, TableEntity>();
        try
        {
            foreach (var shard in entries.GroupBy(e => StatusIndexKeys.ShardOf(StudyIds.Key(e.StudyId))))
            {
                var written = new List<StatusEntry>();
                Azure.ETag? countsTag = null;
                long version = 0;
                foreach (var chunk in shard.Chunk(MaxBatch - 1))
                {
                    written.AddRange(chunk);
                    var counts = StatusIndex.CountsEntity(key, shard.Key, StatusCells.Count(written), ++version);
                    List<TableTransactionAction> batch =
                    [
                        .. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e.ToEntity())),
                        countsTag is { } tag
                            ? new(TableTransactionActionType.UpdateReplace, counts, tag)
                            : new(TableTransactionActionType.Add, counts),
                    ];
                    var answers = await storage.FollowUpStatus.SubmitTransactionAsync(batch, cancellationToken);
                    countsTag = answers.Value[^1].Headers.ETag;
                    if (countsTag is null)
                        return false;
                    filled[shard.Key] = counts;
                }
            }
        }
        catch (Exception ex) when (Contention.IsLostRace(ex))
        {
            return false;
        }
        await copies.AddAsync(wave, due, filled, cancellationToken);
        return true;
    }

    /// <summary>
    /// Counts the partition's entries again and writes each shard's counts that differ (ETag-guarded), removes rows
    /// of an older layout, then rewrites the copy. The counts are read before the entries: a sync that changes both in
    /// between changes the counts' ETag, and we count again.
    /// </summary>
    private async Task RecountAsync(string key, Wave wave, DateOnly due, CancellationToken cancellationToken)
    {
        var literal = TableKey.Literal(key);
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            var counts = new Dictionary<int, TableEntity>();
            var strays = new List<TableEntity>();
            await foreach (
                var row in storage.FollowUpStatus.QueryAsync<TableEntity>(
                    $"PartitionKey eq {literal} and RowKey ge '~'",
                    cancellationToken: cancellationToken
                )
            )
            {
                if (StatusIndexKeys.TryParseCountsRow(row.RowKey, out var shard))
                    counts[shard] = row;
                else
                    strays.Add(row);
            }
            var entries = await storage
                .FollowUpStatus.QueryAsync<TableEntity>(
                    $"PartitionKey eq {literal} and {StatusIndexKeys.EntriesFilter}",
                    cancellationToken: cancellationToken
                )
                .ToListAsync(cancellationToken);
            try
            {
                foreach (var (shard, cells) in WrongShards(entries, counts))
                {
                    var old = counts.GetValueOrDefault(shard);
                    var fresh = StatusIndex.CountsEntity(key, shard, cells, (old?.GetInt64("Version") ?? 0) + 1);
                    if (old is null)
                        await storage.FollowUpStatus.AddEntityAsync(fresh, cancellationToken);
                    else
                        await storage.FollowUpStatus.UpdateEntityAsync(
                            fresh,
                            old.ETag,
                            TableUpdateMode.Replace,
                            cancellationToken
                        );
                }
                foreach (var stray in strays)
                    await storage.FollowUpStatus.DeleteEntityAsync(stray, stray.ETag, cancellationToken);
                await copies.RewriteAsync(wave, due, cancellationToken);
                return;
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                // A sync changed the partition meanwhile: count again.
            }
        }
    }
}
