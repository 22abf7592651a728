using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// The backlog's sync of many waves of one status-index partition (one wave and due day) at once (docs/storage.md,
/// "Index pending"): the same order as <see cref="StatusIndex.SyncAsync"/> (the entries and their shards' counts read
/// first, then the patient and wave rows), but one transaction for all their entries and counts, each shard's counts
/// read once instead of once per wave, and the copy moved once for all the shards the transaction changed. A lost
/// race falls back to the ordinary sync, wave by wave.
/// </summary>
public sealed class StatusIndexBatch(
    PvpStorage storage,
    StatusIndex index,
    StatusCopy copies,
    ClinicClock clinic,
    IOptions<FollowUpOptions> options
)
{
    // A transaction holds at most 100 operations: the entries and at most one counts row per shard.
    private const int MaxEntries = 100 - StatusIndexKeys.Shards;

    /// <summary>Syncs every wave of <paramref name="syncs"/> (one partition's); returns those left stale.</summary>
    public async Task<IReadOnlyList<PendingSync>> SyncAsync(
        Wave wave,
        DateOnly dueDate,
        IReadOnlyList<PendingSync> syncs,
        CancellationToken cancellationToken
    )
    {
        var left = new List<PendingSync>();
        var valid = syncs.Where(s => StudyIds.IsValid(s.StudyId)).ToList();
        var studies = valid.Select(s => s.StudyId).DistinctBy(StudyIds.Key).ToList();
        foreach (var chunk in studies.Chunk(MaxEntries))
        {
            try
            {
                await SyncChunkAsync(wave, dueDate, chunk, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex) || Contention.IsUnavailable(ex))
            {
                // Someone else wrote into the partition meanwhile: each wave the ordinary way.
                foreach (var studyId in chunk)
                {
                    if (await index.SyncAsync(studyId, wave, dueDate, cancellationToken) == StatusIndex.Outcome.Busy)
                        left.AddRange(valid.Where(s => StudyIds.Key(s.StudyId) == StudyIds.Key(studyId)));
                }
            }
        }
        return left;
    }

    private async Task SyncChunkAsync(
        Wave wave,
        DateOnly dueDate,
        IReadOnlyList<string> studies,
        CancellationToken cancellationToken
    )
    {
        var partition = StatusIndexKeys.PartitionOf(wave, dueDate);
        var keys = studies.Select(StudyIds.Key).ToList();
        var shards = keys.Select(StatusIndexKeys.ShardOf).Distinct().ToList();
        var entriesRead = Task.WhenAll(keys.Select(k => Read(storage.FollowUpStatus, partition, k, cancellationToken)));
        var countsRead = Task.WhenAll(
            shards.Select(s => Read(storage.FollowUpStatus, partition, StatusIndexKeys.CountsRow(s), cancellationToken))
        );
        var (entries, counts) = (await entriesRead, await countsRead);
        // Only now the source rows: whatever changed them before this point is in what we write.
        var row = PatientEntities.WavePrefix + wave.Code();
        var patientsRead = Task.WhenAll(
            keys.Select(k => Read(storage.Patients, k, PatientEntities.PatientRow, cancellationToken))
        );
        var wavesRead = Task.WhenAll(keys.Select(k => Read(storage.Patients, k, row, cancellationToken)));
        var (patients, waves) = (await patientsRead, await wavesRead);

        var countsOf = shards.Select((s, i) => (s, counts[i])).ToDictionary(p => p.s, p => p.Item2);
        var cells = shards.ToDictionary(s => s, s => StatusCells.Parse(countsOf[s]?.GetString("Cells")));
        var moved = new HashSet<int>();
        var batch = new List<TableTransactionAction>();
        for (var i = 0; i < keys.Count; i++)
        {
            var current = entries[i] is { } e ? StatusEntry.FromEntity(e) : null;
            var desired = StatusEntry.Derive(patients[i], waves[i], dueDate, options.Value, clinic);
            if (current == desired)
                continue;
            if (desired is null)
                batch.Add(new(TableTransactionActionType.Delete, entries[i]!, entries[i]!.ETag));
            else if (entries[i] is null)
                batch.Add(new(TableTransactionActionType.Add, desired.ToEntity()));
            else
                batch.Add(new(TableTransactionActionType.UpdateReplace, desired.ToEntity(), entries[i]!.ETag));
            if (current?.Cell == desired?.Cell)
                continue;
            var shard = StatusIndexKeys.ShardOf(keys[i]);
            var c = cells[shard];
            if (current is not null)
                c[current.Cell] = c.GetValueOrDefault(current.Cell) - 1;
            if (desired is not null)
                c[desired.Cell] = c.GetValueOrDefault(desired.Cell) + 1;
            moved.Add(shard);
        }
        var written = new Dictionary<int, TableEntity>();
        foreach (var shard in moved)
        {
            var old = countsOf[shard];
            var fresh = StatusIndex.CountsEntity(partition, shard, cells[shard], (old?.GetInt64("Version") ?? 0) + 1);
            batch.Add(
                old is null
                    ? new(TableTransactionActionType.Add, fresh)
                    : new(TableTransactionActionType.UpdateReplace, fresh, old.ETag)
            );
            written[shard] = fresh;
        }
        if (batch.Count > 0)
            await storage.FollowUpStatus.SubmitTransactionAsync(batch, cancellationToken);
        // Every changed shard in one move of the copy: one read and one write for the whole batch.
        if (written.Count > 0)
        {
            var shardWrites = written.Select(w => new ShardWrite(w.Key, countsOf[w.Key], w.Value)).ToList();
            await copies.CopyShardsAsync(wave, dueDate, shardWrites, cancellationToken);
        }
    }

    private static Task<TableEntity?> Read(TableClient table, string pk, string rk, CancellationToken ct) =>
        StatusIndex.PointReadAsync(table, pk, rk, ct);
}
