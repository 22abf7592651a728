using System.Globalization;
using Azure.Data.Tables;
using PvpServerless.Domain;

namespace PvpServerless.FollowUp;

/// <summary>
/// A row of <c>FollowUpCounts</c> in its narrow layout (docs/storage.md, "The copy"): the partition's cells summed
/// over its shards (<c>Cells</c>) and the version of each shard that sum is made of (<c>Versions</c>: sixteen numbers
/// joined by <c>.</c>). Invariant: <c>Cells</c> is the sum of each shard's counts at its version in
/// <c>Versions</c>; a shard at version 0 counts nothing.
/// </summary>
public sealed record CopyRow(IReadOnlyDictionary<string, int> Cells, IReadOnlyList<long> Versions)
{
    public const string CellsColumn = "Cells";
    public const string VersionsColumn = "Versions";

    /// <summary>What a copy holds before anything is copied: nothing, every shard at version 0.</summary>
    public static CopyRow Empty { get; } =
        new(new Dictionary<string, int>(StringComparer.Ordinal), new long[StatusIndexKeys.Shards]);

    // Columns every table row has; anything else but ours is a column of an older layout (C00 … C15, V00 … V15).
    private static readonly HashSet<string> Known =
    [
        "PartitionKey",
        "RowKey",
        "Timestamp",
        "odata.etag",
        CellsColumn,
        VersionsColumn,
    ];

    /// <summary>
    /// The copy as read: <see cref="Empty"/> when there is no row; null when the row is of an older layout (a cells
    /// and a version column per shard, or cells without versions) or unreadable, so that it must be written whole.
    /// </summary>
    public static CopyRow? From(TableEntity? row)
    {
        if (row is null)
            return Empty;
        if (row.Keys.Any(k => !Known.Contains(k)) || row.GetString(VersionsColumn) is not { } text)
            return null;
        var parts = text.Split('.');
        var versions = new long[StatusIndexKeys.Shards];
        if (parts.Length != versions.Length)
            return null;
        for (var s = 0; s < versions.Length; s++)
        {
            if (!long.TryParse(parts[s], NumberStyles.None, CultureInfo.InvariantCulture, out versions[s]))
                return null;
        }
        return new CopyRow(StatusCells.Parse(row.GetString(CellsColumn)), versions);
    }

    /// <summary>The copy that equals a partition's counts rows by shard (absent rows at version 0).</summary>
    public static CopyRow Of(IReadOnlyDictionary<int, TableEntity> counts) =>
        new(
            StatusCells.Sum(counts.Values.Select(c => c.GetString("Cells"))),
            [
                .. Enumerable
                    .Range(0, StatusIndexKeys.Shards)
                    .Select(s => counts.GetValueOrDefault(s)?.GetInt64("Version") ?? 0),
            ]
        );

    /// <summary>
    /// This copy with one shard moved from <paramref name="before"/> to <paramref name="after"/> (its counts rows at
    /// two consecutive versions): only right when the copy holds the shard at <paramref name="before"/>'s version.
    /// </summary>
    public CopyRow With(int shard, TableEntity? before, TableEntity after)
    {
        var cells = new Dictionary<string, int>(Cells, StringComparer.Ordinal);
        foreach (var (key, count) in StatusCells.Parse(before?.GetString("Cells")))
            cells[key] = cells.GetValueOrDefault(key) - count;
        foreach (var (key, count) in StatusCells.Parse(after.GetString("Cells")))
            cells[key] = cells.GetValueOrDefault(key) + count;
        var versions = Versions.ToArray();
        versions[shard] = after.GetInt64("Version") ?? 0;
        return new CopyRow(cells, versions);
    }

    /// <summary>Whether this copy holds every version of <paramref name="other"/> or a later one.</summary>
    public bool Covers(IReadOnlyList<long> other) => Versions.Zip(other).All(v => v.First >= v.Second);

    public string CellsText => StatusCells.Format(Cells);

    public string VersionsText => string.Join('.', Versions.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Same cells and same versions (the check's comparison).</summary>
    public bool SameAs(CopyRow other) => CellsText == other.CellsText && VersionsText == other.VersionsText;

    public TableEntity ToEntity(Wave wave, DateOnly dueDate) =>
        new(wave.Code(), Codes.Format(dueDate)) { [CellsColumn] = CellsText, [VersionsColumn] = VersionsText };
}
