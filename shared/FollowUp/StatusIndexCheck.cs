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
        public TableEntity? Counts { get; set; }
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
            if (row.RowKey == StatusIndexKeys.CountsRow)
                Of(row.PartitionKey).Counts = row;
            else
            {
                entries++;
                Of(row.PartitionKey).Actual[row.RowKey] = row;
            }
        }
        var copies = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in storage.FollowUpCounts.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            copies[$"{row.PartitionKey}|{row.RowKey}"] = row;

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
            var countsRight = StatusCells.Format(Recount(p.Actual.Values)) == (p.Counts?.GetString("Cells") ?? "");
            countsWrong += countsRight ? 0 : 1;
            copies.Remove(key, out var copy);
            var copyRight = (copy?.GetString("Cells") ?? "") == (p.Counts?.GetString("Cells") ?? "");
            copiesWrong += copyRight ? 0 : 1;
            if (repair && (diff.Count > 0 || !countsRight || !copyRight))
                await RepairAsync(key, wave, due, p, diff, cancellationToken);
        }
        // Copies of partitions that no longer exist.
        copiesWrong += copies.Count;
        if (repair)
        {
            foreach (var copy in copies.Values)
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

    private static Dictionary<string, int> Recount(IEnumerable<TableEntity> entries) =>
        StatusCells.Count(entries.Select(StatusEntry.FromEntity));

    private async Task RepairAsync(
        string key,
        Wave wave,
        DateOnly due,
        Partition p,
        List<Difference> diff,
        CancellationToken cancellationToken
    )
    {
        if (p.Actual.Count == 0 && p.Counts is null && p.Desired.Count > 0)
        {
            if (await FillAsync(key, wave, due, [.. p.Desired.Values], cancellationToken))
                return;
        }
        foreach (var d in diff)
            await index.SyncAsync(d.StudyId, d.Wave, due, cancellationToken);
        await RecountAsync(key, wave, due, cancellationToken);
    }

    /// <summary>
    /// A partition the index has never had: its entries and counts in transactions of at most 100 rows, each with
    /// the counts of what is written so far. False when someone else wrote into it meanwhile.
    /// </summary>
    private async Task<bool> FillAsync(
        string key,
        Wave wave,
        DateOnly due,
        IReadOnlyList<StatusEntry> entries,
        CancellationToken cancellationToken
    )
    {
        var written = new List<StatusEntry>();
        Azure.ETag? countsTag = null;
        long version = 0;
        try
        {
            foreach (var chunk in entries.Chunk(MaxBatch - 1))
            {
                written.AddRange(chunk);
                var counts = StatusIndex.CountsEntity(key, StatusCells.Count(written), ++version);
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
            }
        }
        catch (Exception ex) when (Contention.IsLostRace(ex))
        {
            return false;
        }
        var stored = await StatusIndex.PointReadAsync(
            storage.FollowUpStatus,
            key,
            StatusIndexKeys.CountsRow,
            cancellationToken
        );
        await index.CopyCountsAsync(wave, due, stored, cancellationToken);
        return true;
    }

    /// <summary>Counts the partition's entries again and writes the counts (ETag-guarded) and their copy.</summary>
    private async Task RecountAsync(string key, Wave wave, DateOnly due, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            var counts = await StatusIndex.PointReadAsync(
                storage.FollowUpStatus,
                key,
                StatusIndexKeys.CountsRow,
                cancellationToken
            );
            var filter = $"PartitionKey eq {TableKey.Literal(key)} and {StatusIndexKeys.EntriesFilter}";
            var rows = new List<TableEntity>();
            await foreach (
                var row in storage.FollowUpStatus.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)
            )
                rows.Add(row);
            var cells = Recount(rows);
            if (counts is not null && StatusCells.Format(cells) == counts.GetString("Cells"))
            {
                await index.CopyCountsAsync(wave, due, counts, cancellationToken);
                return;
            }
            var fresh = StatusIndex.CountsEntity(key, cells, (counts?.GetInt64("Version") ?? 0) + 1);
            try
            {
                if (counts is null)
                    await storage.FollowUpStatus.AddEntityAsync(fresh, cancellationToken);
                else
                    await storage.FollowUpStatus.UpdateEntityAsync(
                        fresh,
                        counts.ETag,
                        TableUpdateMode.Replace,
                        cancellationToken
                    );
                await index.CopyCountsAsync(wave, due, fresh, cancellationToken);
                return;
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                // A sync changed the partition meanwhile: count again.
            }
        }
    }
}
