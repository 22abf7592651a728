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
    StatusIndexRepair repairs,
    StatusIndexBacklog backlog,
    ClinicClock clinic,
    IOptions<FollowUpOptions> options,
    ILogger<StatusIndexCheck> log
)
{
    /// <summary>The record and wave rows of every patient, in key order.</summary>
    public const string PatientsFilter = "RowKey eq 'patient' or (RowKey ge 'wave|' and RowKey lt 'wave}')";

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
        // The syncs this process has queued are not stale, only not done yet (docs/storage.md, "Index pending").
        await backlog.WhenIdleAsync(cancellationToken);
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
            var countsRight =
                p.Strays.Count == 0 && StatusIndexRepair.WrongShards(p.Actual.Values, p.Counts).Count == 0;
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
            if (await repairs.FillAsync(key, wave, due, [.. p.Desired.Values], cancellationToken))
                return;
        }
        foreach (var d in diff)
            await index.SyncAsync(d.StudyId, d.Wave, due, cancellationToken);
        await repairs.RecountAsync(key, wave, due, cancellationToken);
    }
}
