using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PvpServerless.Domain;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// The copy of a status-index partition's counts in <c>FollowUpCounts</c> (row key: wave, due day): a cells column and
/// a version column per shard (docs/storage.md, "The copy"). A writer copies only its own shard's two columns, with an
/// unconditional merge, so writers of other shards never conflict with it; then it reads its shard's counts again, and
/// while they have moved on it copies them again: a later version may have been copied before an earlier one.
/// </summary>
public sealed class StatusCopy(PvpStorage storage, Contention contention, ILogger<StatusCopy> log)
{
    // Each round only follows a version written meanwhile that the copy lacks: it ends when the burst does.
    private const int MaxCopies = 64;

    /// <summary>
    /// Copies one shard's counts (as just written or read) to the copy. When it returns, the copy's columns of that
    /// shard hold the counts as they are now, or a later writer, still copying, is bound to bring them there.
    /// </summary>
    public async Task CopyShardAsync(
        Wave wave,
        DateOnly dueDate,
        int shard,
        TableEntity counts,
        CancellationToken cancellationToken
    )
    {
        var (pk, rk) = (wave.Code(), Codes.Format(dueDate));
        var partition = StatusIndexKeys.PartitionOf(wave, dueDate);
        for (var attempt = 0; attempt < MaxCopies; attempt++)
        {
            var version = counts.GetInt64("Version") ?? 0;
            var columns = new TableEntity(pk, rk)
            {
                [StatusIndexKeys.CellsColumn(shard)] = counts.GetString("Cells") ?? "",
                [StatusIndexKeys.VersionColumn(shard)] = version,
            };
            await storage.FollowUpCounts.UpsertEntityAsync(columns, TableUpdateMode.Merge, cancellationToken);
            // Whoever wrote a later version after our read may have copied it before our merge, and stopped: if so,
            // our merge put the copy back, and bringing it forward is ours to do.
            var now = await StatusIndex.PointReadAsync(
                storage.FollowUpStatus,
                partition,
                StatusIndexKeys.CountsRow(shard),
                cancellationToken
            );
            if (now is null || (now.GetInt64("Version") ?? 0) <= version)
                return;
            // Unless the copy has it already: then a merge of an older version landing after this read is followed by
            // its writer's own look at the counts, which finds them newer and copies again. So the writer whose merge
            // lands last is the one that keeps going, and the copy ends at the last version.
            var copy = await StatusIndex.PointReadAsync(storage.FollowUpCounts, pk, rk, cancellationToken);
            if ((copy?.GetInt64(StatusIndexKeys.VersionColumn(shard)) ?? -1) >= (now.GetInt64("Version") ?? 0))
                return;
            counts = now;
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
        var copy = await StatusIndex.PointReadAsync(
            storage.FollowUpCounts,
            wave.Code(),
            Codes.Format(dueDate),
            cancellationToken
        );
        if (!ShardMatches(copy, shard, counts))
            await CopyShardAsync(wave, dueDate, shard, counts, cancellationToken);
    }

    /// <summary>
    /// Writes the whole copy of a partition from all its counts rows (the check's repair), replacing anything else
    /// the row held, under the copy's ETag: the copy is read before the counts, so a sync that changes counts meanwhile
    /// either changes the copy's ETag first (we read again) or copies its shard after us.
    /// </summary>
    public async Task RewriteAsync(Wave wave, DateOnly dueDate, CancellationToken cancellationToken)
    {
        var (pk, rk) = (wave.Code(), Codes.Format(dueDate));
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            var copy = await StatusIndex.PointReadAsync(storage.FollowUpCounts, pk, rk, cancellationToken);
            var counts = await ReadCountsAsync(wave, dueDate, cancellationToken);
            if (Matches(copy, counts))
                return;
            var entity = Copy(wave, dueDate, counts);
            try
            {
                if (copy is null)
                    await storage.FollowUpCounts.AddEntityAsync(entity, cancellationToken);
                else
                    await storage.FollowUpCounts.UpdateEntityAsync(
                        entity,
                        copy.ETag,
                        TableUpdateMode.Replace,
                        cancellationToken
                    );
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
            await storage.FollowUpCounts.AddEntityAsync(Copy(wave, dueDate, counts), cancellationToken);
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

    private static TableEntity Copy(Wave wave, DateOnly dueDate, IReadOnlyDictionary<int, TableEntity> counts)
    {
        var entity = new TableEntity(wave.Code(), Codes.Format(dueDate));
        foreach (var (shard, row) in counts)
        {
            entity[StatusIndexKeys.CellsColumn(shard)] = row.GetString("Cells") ?? "";
            entity[StatusIndexKeys.VersionColumn(shard)] = row.GetInt64("Version") ?? 0;
        }
        return entity;
    }

    /// <summary>
    /// Whether a copy holds exactly these counts: each shard's cells (an absent row or column counts as empty) and
    /// no column of an older layout.
    /// </summary>
    public static bool Matches(TableEntity? copy, IReadOnlyDictionary<int, TableEntity> counts) =>
        copy?.ContainsKey("Cells") != true
        && Enumerable
            .Range(0, StatusIndexKeys.Shards)
            .All(s =>
                (copy?.GetString(StatusIndexKeys.CellsColumn(s)) ?? "")
                == (counts.GetValueOrDefault(s)?.GetString("Cells") ?? "")
            );

    private static bool ShardMatches(TableEntity? copy, int shard, TableEntity counts) =>
        copy is not null
        && copy.GetString(StatusIndexKeys.CellsColumn(shard)) == (counts.GetString("Cells") ?? "")
        && copy.GetInt64(StatusIndexKeys.VersionColumn(shard)) == (counts.GetInt64("Version") ?? 0);
}
