using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PvpServerless.Domain;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// The copy of a status-index partition's counts in <c>FollowUpCounts</c> (row key: wave, due day): one narrow row,
/// the cells summed over the shards and the version of each shard in that sum (<see cref="CopyRow"/>), so that the
/// summary reads one short column per due day (docs/storage.md, "The copy").
/// </summary>
/// <remarks>
/// Why the last writer leaves the copy at the latest versions. (1) Every write of the copy is conditional on the ETag
/// of the copy it was computed from, and computed either from that copy moved by one shard version (a delta, only
/// when the copy holds that shard's previous version), or from counts read after that copy (a refresh): a shard's
/// counts only move forward, so the copy's versions never go back and its cells stay the sum of the shards at its
/// versions. (2) A writer that committed version v of shard s returns only after it saw, in a copy read after its
/// commit, version v or later of s, or wrote such a copy itself; a lost race (412/409) means another writer's copy
/// came in between, and it reads again. So when every writer has returned, the copy holds every committed version:
/// the latest of each shard, their sum exactly. A writer out of attempts, or a crash before the copy, leaves it
/// behind until the shard's next write (which finds the gap and refreshes) or the check.
/// </remarks>
public sealed class StatusCopy(PvpStorage storage, Contention contention, ILogger<StatusCopy> log)
{
    // A lost race means another copy landed, which most often covers ours already; the pause spreads a burst out.
    private const int MaxAttempts = 16;

    /// <summary>
    /// Copies one shard's counts (as just written or read) without knowing its previous version: unless the copy holds
    /// them already, it is refreshed from all the partition's counts rows.
    /// </summary>
    public Task CopyShardAsync(
        Wave wave,
        DateOnly dueDate,
        int shard,
        TableEntity counts,
        CancellationToken cancellationToken
    ) => CopyShardAsync(wave, dueDate, shard, null, counts, known: false, cancellationToken);

    /// <summary>
    /// Copies one shard's counts just written: <paramref name="after"/> replaced <paramref name="before"/> (null: the
    /// row was new) in one conditional write. When the copy holds the shard at <paramref name="before"/>'s version,
    /// it moves by the difference (one read, one write); when it holds <paramref name="after"/> or later, nothing is
    /// written; otherwise (a version in between not yet copied, an older layout) it is refreshed from all counts.
    /// </summary>
    public Task CopyShardAsync(
        Wave wave,
        DateOnly dueDate,
        int shard,
        TableEntity? before,
        TableEntity after,
        CancellationToken cancellationToken
    ) => CopyShardAsync(wave, dueDate, shard, before, after, known: true, cancellationToken);

    private async Task CopyShardAsync(
        Wave wave,
        DateOnly dueDate,
        int shard,
        TableEntity? before,
        TableEntity after,
        bool known,
        CancellationToken cancellationToken
    )
    {
        var version = after.GetInt64("Version") ?? 0;
        var previous = before?.GetInt64("Version") ?? 0;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                var row = await ReadCopyAsync(wave, dueDate, cancellationToken);
                var copy = CopyRow.From(row);
                if (copy is not null && copy.Versions[shard] >= version)
                    return;
                if (copy is not null && known && copy.Versions[shard] == previous && previous == version - 1)
                    await WriteAsync(wave, dueDate, row, copy.With(shard, before, after), cancellationToken);
                else
                    await RefreshAsync(wave, dueDate, row, cancellationToken);
                return;
            }
            catch (Exception ex) when (Contention.IsLostRace(ex) || Contention.IsUnavailable(ex))
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
        }
        log.LogWarning("Status index: a copy of {Wave} counts may lag behind until the next sync", wave.Code());
    }

    /// <summary>
    /// Copies the counts of several shards of one partition, each just written (the backlog's batch, one transaction
    /// for them all): as the copy of one shard just written, for each, but one read and at most one write of the
    /// copy for all. The copy moves by each shard's difference when it holds every shard still behind at exactly its
    /// previous version, else it is refreshed from all counts. The argument of the class's remarks holds as it is: a
    /// write moves the copy by one version of each shard it names, from the copy whose ETag it is conditional on.
    /// </summary>
    public async Task CopyShardsAsync(
        Wave wave,
        DateOnly dueDate,
        IReadOnlyList<ShardWrite> written,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                var row = await ReadCopyAsync(wave, dueDate, cancellationToken);
                var copy = CopyRow.From(row);
                var behind = written.Where(w => copy is null || copy.Versions[w.Shard] < w.Version).ToList();
                if (behind.Count == 0)
                    return;
                var deltas = copy is not null && behind.All(w => copy.Versions[w.Shard] == w.Previous);
                if (copy is not null && deltas && behind.All(w => w.Previous == w.Version - 1))
                {
                    var moved = behind.Aggregate(copy, (c, w) => c.With(w.Shard, w.Before, w.After));
                    await WriteAsync(wave, dueDate, row, moved, cancellationToken);
                }
                else
                    await RefreshAsync(wave, dueDate, row, cancellationToken);
                return;
            }
            catch (Exception ex) when (Contention.IsLostRace(ex) || Contention.IsUnavailable(ex))
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
        }
        log.LogWarning("Status index: a copy of {Wave} counts may lag behind until the next sync", wave.Code());
    }

    /// <summary>Copies a shard's counts unless the copy holds them already (one read when it does).</summary>
    public async Task RepairShardAsync(
        Wave wave,
        DateOnly dueDate,
        int shard,
        TableEntity? counts,
        CancellationToken cancellationToken
    )
    {
        if (counts is null)
            return;
        var copy = CopyRow.From(await ReadCopyAsync(wave, dueDate, cancellationToken));
        if (copy is null || copy.Versions[shard] < (counts.GetInt64("Version") ?? 0))
            await CopyShardAsync(wave, dueDate, shard, counts, cancellationToken);
    }

    /// <summary>
    /// Writes the whole copy of a partition from all its counts rows (the check's repair; it also turns a row of an
    /// older layout into the narrow one), under the copy's ETag: the copy is read before the counts, so a sync that
    /// changes counts meanwhile either changes the copy's ETag first (we read again) or copies its shard after us.
    /// </summary>
    public async Task RewriteAsync(Wave wave, DateOnly dueDate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            var row = await ReadCopyAsync(wave, dueDate, cancellationToken);
            var counts = await ReadCountsAsync(wave, dueDate, cancellationToken);
            if (Matches(row, counts))
                return;
            try
            {
                await WriteAsync(wave, dueDate, row, CopyRow.Of(counts), cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The first copy of a partition just filled from nothing (the check's rebuild), from the counts it wrote; when a
    /// copy is there already (from before, or a sync's since), the whole copy is rewritten from the counts as stored.
    /// </summary>
    public async Task AddAsync(
        Wave wave,
        DateOnly dueDate,
        IReadOnlyDictionary<int, TableEntity> counts,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await storage.FollowUpCounts.AddEntityAsync(CopyRow.Of(counts).ToEntity(wave, dueDate), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            await RewriteAsync(wave, dueDate, cancellationToken);
        }
    }

    /// <summary>
    /// A partition's counts rows by shard: a point read each, at once (a query would cost Azurite a scan of the whole
    /// table, docs/storage.md).
    /// </summary>
    public async Task<Dictionary<int, TableEntity>> ReadCountsAsync(
        Wave wave,
        DateOnly dueDate,
        CancellationToken cancellationToken
    )
    {
        var partition = StatusIndexKeys.PartitionOf(wave, dueDate);
        var rows = await Task.WhenAll(
            Enumerable
                .Range(0, StatusIndexKeys.Shards)
                .Select(shard =>
                    StatusIndex.PointReadAsync(
                        storage.FollowUpStatus,
                        partition,
                        StatusIndexKeys.CountsRow(shard),
                        cancellationToken
                    )
                )
        );
        var counts = new Dictionary<int, TableEntity>();
        for (var shard = 0; shard < rows.Length; shard++)
        {
            if (rows[shard] is { } row)
                counts[shard] = row;
        }
        return counts;
    }

    /// <summary>
    /// Whether a copy holds exactly these counts, in the narrow layout: their summed cells and each shard's version
    /// (an absent counts row at version 0).
    /// </summary>
    public static bool Matches(TableEntity? copy, IReadOnlyDictionary<int, TableEntity> counts) =>
        CopyRow.From(copy) is { } read && read.SameAs(CopyRow.Of(counts));

    /// <summary>The copy from all counts rows, read after <paramref name="row"/> (which its write replaces).</summary>
    private async Task RefreshAsync(
        Wave wave,
        DateOnly dueDate,
        TableEntity? row,
        CancellationToken cancellationToken
    )
    {
        var counts = await ReadCountsAsync(wave, dueDate, cancellationToken);
        await WriteAsync(wave, dueDate, row, CopyRow.Of(counts), cancellationToken);
    }

    /// <summary>Replaces <paramref name="row"/> under its ETag, other columns too, or adds the first copy.</summary>
    private async Task WriteAsync(
        Wave wave,
        DateOnly dueDate,
        TableEntity? row,
        CopyRow copy,
        CancellationToken cancellationToken
    )
    {
        var entity = copy.ToEntity(wave, dueDate);
        if (row is null)
            await storage.FollowUpCounts.AddEntityAsync(entity, cancellationToken);
        else
            await storage.FollowUpCounts.UpdateEntityAsync(
                entity,
                row.ETag,
                TableUpdateMode.Replace,
                cancellationToken
            );
    }

    private Task<TableEntity?> ReadCopyAsync(Wave wave, DateOnly dueDate, CancellationToken cancellationToken) =>
        StatusIndex.PointReadAsync(storage.FollowUpCounts, wave.Code(), Codes.Format(dueDate), cancellationToken);
}

/// <summary>A shard's counts row as replaced in a transaction: <paramref name="Before"/> (null: new) by <paramref
/// name="After"/>.</summary>
public sealed record ShardWrite(int Shard, TableEntity? Before, TableEntity After)
{
    public long Previous => Before?.GetInt64("Version") ?? 0;

    public long Version => After.GetInt64("Version") ?? 0;
}
