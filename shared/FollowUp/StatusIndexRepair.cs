using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// The check's repairs of one status-index partition (docs/storage.md, "Between the two writes"): a rebuild of a
/// partition the index never had, and a recount of its shards' counts with a rewrite of its copy.
/// </summary>
public sealed class StatusIndexRepair(PvpStorage storage, StatusCopy copies)
{
    private const int MaxBatch = 100;

    /// <summary>The shards whose counts row differs from a count of its entries, with the right cells.</summary>
    public static Dictionary<int, Dictionary<string, int>> WrongShards(
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

    /// <summary>
    /// A partition the index has never had: each shard's entries and counts in transactions of at most 100 rows, each
    /// with the counts of what is written so far. False when someone else wrote into it meanwhile.
    /// </summary>
    public async Task<bool> FillAsync(
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
    public async Task RecountAsync(string key, Wave wave, DateOnly due, CancellationToken cancellationToken)
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
