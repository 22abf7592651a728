using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Coordination;

/// <summary>The counts of one wave's due day, as copied to <c>FollowUpCounts</c> (docs/storage.md).</summary>
public sealed record DayCounts(DateOnly DueDate, IReadOnlyList<StatusCell> Cells);

/// <summary>
/// Reads the copies of the status index's counts: one partition per wave, one row per due day. Its size grows with
/// the days of the study, never with the patients, so the summary and the list's directory cost the same at any
/// cohort size.
/// </summary>
public sealed class StatusCounts(PvpStorage storage)
{
    // The row key and the cells summed over the shards (docs/storage.md, "The copy"); not the versions.
    private static readonly string[] Columns = ["RowKey", CopyRow.CellsColumn];

    /// <summary>A wave's due days from <paramref name="from"/> on (all when null), in date order.</summary>
    public async Task<IReadOnlyList<DayCounts>> ReadAsync(
        Wave wave,
        DateOnly? from,
        CancellationToken cancellationToken
    )
    {
        var filter = $"PartitionKey eq {TableKey.Literal(wave.Code())}";
        if (from is { } day)
            filter += $" and RowKey ge {TableKey.Literal(Codes.Format(day))}";
        var days = new List<DayCounts>();
        await foreach (
            var row in storage.FollowUpCounts.QueryAsync<TableEntity>(
                filter,
                maxPerPage: 1000,
                select: Columns,
                cancellationToken: cancellationToken
            )
        )
        {
            if (!Codes.TryParseDate(row.RowKey, out var due))
                continue;
            var cells = StatusCells.Read(due, row.GetString(CopyRow.CellsColumn));
            days.Add(new DayCounts(due, [.. cells.Where(c => c.Count > 0)]));
        }
        return days;
    }
}
