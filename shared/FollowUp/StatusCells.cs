using System.Globalization;
using System.Text;
using PvpServerless.Domain;

namespace PvpServerless.FollowUp;

/// <summary>
/// One counter: how many entries of a partition (one wave, one due day) share status, eligibility and facet. The
/// facet's days are read once, here: the summary asks every cell of every due day (docs/storage.md, "The copy").
/// </summary>
public sealed record StatusCell(DateOnly DueDate, WaveStatus Status, bool Eligible, string Facet, int Count)
{
    private readonly (DateOnly OpensOn, DateOnly ClosesOn)? _window = WindowOf(DueDate, Status, Facet);

    private readonly DateOnly? _answeredOn = AnsweredOnOf(DueDate, Status, Facet);

    /// <summary>For invited and reminded cells: the window's first and last day.</summary>
    public (DateOnly OpensOn, DateOnly ClosesOn)? Window => _window;

    /// <summary>For answered cells: the day the answer counts from (its own, or the due date if earlier).</summary>
    public DateOnly? AnsweredOn => _answeredOn;

    /// <summary>Invited or reminded, and <paramref name="day"/> inside the window.</summary>
    public bool IsOverdueOn(DateOnly day) => _window is { } w && w.OpensOn <= day && day <= w.ClosesOn;

    private static (DateOnly, DateOnly)? WindowOf(DateOnly dueDate, WaveStatus status, string facet)
    {
        var slash = facet.IndexOf('/', StringComparison.Ordinal);
        return status is WaveStatus.Invited or WaveStatus.Reminded
            && slash > 0
            && int.TryParse(facet.AsSpan(0, slash), CultureInfo.InvariantCulture, out var opens)
            && int.TryParse(facet.AsSpan(slash + 1), CultureInfo.InvariantCulture, out var closes)
            ? (dueDate.AddDays(opens), dueDate.AddDays(closes))
            : null;
    }

    private static DateOnly? AnsweredOnOf(DateOnly dueDate, WaveStatus status, string facet) =>
        status == WaveStatus.Answered && int.TryParse(facet, CultureInfo.InvariantCulture, out var days)
            ? dueDate.AddDays(days)
            : null;
}

/// <summary>
/// The counts of one status-index partition, kept as text (<c>Cells</c>) in its <c>~counts</c> row and copied to
/// <c>FollowUpCounts</c>: <c>cell=count</c> joined by <c>;</c>, in ordinal order. A cell is a letter for the status,
/// <c>+</c> or <c>-</c> for eligible or not, and the facet with its days counted from the due date (a wave's due date
/// is its partition's): answered 3 days late is <c>a+3</c>, reminded in a window from due − 7 to due + 28 is
/// <c>r+-7/28</c>, skipped because dead <c>k-dead</c>. Short, because the summary reads every partition's counts.
/// </summary>
public static class StatusCells
{
    private static readonly Dictionary<WaveStatus, char> Letters = new()
    {
        [WaveStatus.Scheduled] = 's',
        [WaveStatus.Invited] = 'i',
        [WaveStatus.Reminded] = 'r',
        [WaveStatus.Answered] = 'a',
        [WaveStatus.Expired] = 'e',
        [WaveStatus.Undeliverable] = 'u',
        [WaveStatus.Failed] = 'f',
        [WaveStatus.Skipped] = 'k',
    };

    private static readonly Dictionary<char, WaveStatus> Statuses = Letters.ToDictionary(l => l.Value, l => l.Key);

    public static string Key(WaveStatus status, bool eligible, string facet) =>
        $"{Letters[status]}{(eligible ? '+' : '-')}{facet}";

    /// <summary>A window as days from the due date: <c>-7/28</c>.</summary>
    public static string Window(DateOnly dueDate, DateOnly opensOn, DateOnly closesOn) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{opensOn.DayNumber - dueDate.DayNumber}/{closesOn.DayNumber - dueDate.DayNumber}"
        );

    /// <summary>
    /// An answer's day as days after the due date; an answer on or before it is 0, since a cut-off counts a wave only
    /// once it is due (fewer distinct cells, shorter counts).
    /// </summary>
    public static string Answered(DateOnly dueDate, DateOnly answeredOn) =>
        Math.Max(0, answeredOn.DayNumber - dueDate.DayNumber).ToString(CultureInfo.InvariantCulture);

    public static Dictionary<string, int> Parse(string? text)
    {
        var cells = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = part.LastIndexOf('=');
            if (at > 0 && int.TryParse(part.AsSpan(at + 1), CultureInfo.InvariantCulture, out var n))
                cells[part[..at]] = n;
        }
        return cells;
    }

    /// <summary>In ordinal order and without empty cells, so equal counts give equal text.</summary>
    public static string Format(IReadOnlyDictionary<string, int> cells)
    {
        var text = new StringBuilder();
        foreach (var (key, count) in cells.Where(c => c.Value != 0).OrderBy(c => c.Key, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? ";" : "")}{key}={count}");
        return text.ToString();
    }

    /// <summary>The cells of several <c>Cells</c> texts added up (a partition's shards).</summary>
    public static Dictionary<string, int> Sum(IEnumerable<string?> texts)
    {
        var sum = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var (key, count) in Parse(text))
                sum[key] = sum.GetValueOrDefault(key) + count;
        }
        return sum;
    }

    public static Dictionary<string, int> Count(IEnumerable<StatusEntry> entries) =>
        entries.GroupBy(e => e.Cell).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// The cells of a <c>Cells</c> text of the partition due on <paramref name="dueDate"/>, in its order (a formatted
    /// text names each cell once). Read part by part without splitting: the summary reads every due day's text.
    /// </summary>
    public static IReadOnlyList<StatusCell> Read(DateOnly dueDate, string? text)
    {
        var cells = new List<StatusCell>();
        var rest = (text ?? "").AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf(';');
            var part = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            var at = part.LastIndexOf('=');
            if (
                at >= 2
                && Statuses.TryGetValue(part[0], out var status)
                && int.TryParse(part[(at + 1)..], CultureInfo.InvariantCulture, out var count)
            )
                cells.Add(new StatusCell(dueDate, status, part[1] == '+', part[2..at].ToString(), count));
        }
        return cells;
    }
}
