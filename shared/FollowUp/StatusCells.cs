using System.Text.Json;
using PvpServerless.Domain;

namespace PvpServerless.FollowUp;

/// <summary>
/// One counter: how many entries of a partition (one wave, one due day) share status, eligibility and facet.
/// </summary>
public sealed record StatusCell(WaveStatus Status, bool Eligible, string Facet, int Count)
{
    /// <summary>For invited and reminded cells: the window's first and last day.</summary>
    public (DateOnly OpensOn, DateOnly ClosesOn)? Window =>
        Facet.Split("..") is [var a, var b]
        && Codes.TryParseDate(a, out var opens)
        && Codes.TryParseDate(b, out var closes)
            ? (opens, closes)
            : null;

    /// <summary>For answered cells: the clinic day of the answer.</summary>
    public DateOnly? AnsweredOn => Codes.TryParseDate(Facet, out var d) ? d : null;

    /// <summary>Invited or reminded, and <paramref name="day"/> inside the window.</summary>
    public bool IsOverdueOn(DateOnly day) =>
        Status is WaveStatus.Invited or WaveStatus.Reminded && Window is { } w && w.OpensOn <= day && day <= w.ClosesOn;
}

/// <summary>
/// The counts of one status-index partition, kept as JSON (<c>Cells</c>: cell key → count) in its <c>~counts</c> row
/// and copied to <c>FollowUpCounts</c>. A cell key is <c>{status}|{e or x}|{facet}</c> (e: eligible).
/// </summary>
public static class StatusCells
{
    public static string Key(WaveStatus status, bool eligible, string facet) =>
        $"{Codes.Of(status)}|{(eligible ? "e" : "x")}|{facet}";

    public static string Window(DateOnly opensOn, DateOnly closesOn) =>
        $"{Codes.Format(opensOn)}..{Codes.Format(closesOn)}";

    public static Dictionary<string, int> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? [];

    /// <summary>Sorted and without empty cells, so equal counts give equal text.</summary>
    public static string Format(IReadOnlyDictionary<string, int> cells) =>
        JsonSerializer.Serialize(
            new SortedDictionary<string, int>(
                cells.Where(c => c.Value != 0).ToDictionary(c => c.Key, c => c.Value),
                StringComparer.Ordinal
            )
        );

    public static Dictionary<string, int> Count(IEnumerable<StatusEntry> entries) =>
        entries.GroupBy(e => e.Cell).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The cells of a <c>Cells</c> text; a key that is not ours is skipped.</summary>
    public static IEnumerable<StatusCell> Read(string? json)
    {
        foreach (var (key, count) in Parse(json))
        {
            var parts = key.Split('|', 3);
            if (parts.Length == 3 && Codes.TryParse<WaveStatus>(parts[0], out var status))
                yield return new StatusCell(status, parts[1] == "e", parts[2], count);
        }
    }
}
