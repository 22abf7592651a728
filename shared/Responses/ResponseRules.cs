using System.Globalization;
using System.Text.RegularExpressions;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Patients;

namespace PvpServerless.Responses;

/// <summary>
/// What makes a typed-in response believable before it is scored: its EQ-5D keys, an instant with an offset, and a
/// date that fits its wave and the patient's record (docs/storage.md, "Responses").
/// </summary>
public static partial class ResponseRules
{
    /// <summary>The EQ-5D keys in the instrument's order: the five dimensions, then the EQ VAS.</summary>
    public static readonly IReadOnlyList<string> Eq5dKeys =
    [
        "mobility",
        "selfCare",
        "usualActivities",
        "pain",
        "anxiety",
        "vas",
    ];

    /// <summary>How long before the procedure a baseline questionnaire may have been answered.</summary>
    public const int BaselineDaysBefore = 60;

    /// <summary>How long after the procedure a baseline questionnaire may still be answered (its window).</summary>
    public const int BaselineDaysAfter = 14;

    /// <summary>How long after its due date a one-year questionnaire may still be answered.</summary>
    public const int OneYearDaysAfter = 182;

    // ISO 8601 with seconds optional and an explicit offset (Z or ±hh:mm): a bare local time is ambiguous.
    [GeneratedRegex(
        @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex InstantWithOffset();

    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is { Length: <= 40 }
            && InstantWithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    /// <summary>The answers by key; names each unknown key and each missing one.</summary>
    public static Eq5dAnswers? ReadEq5d(IReadOnlyDictionary<string, int?> eq5d, FieldErrors errors)
    {
        var ok = true;
        foreach (var key in eq5d.Keys.Where(k => !Eq5dKeys.Contains(k)).Take(10))
        {
            var shown = key.Length > 32 ? key[..32] + "…" : key;
            errors.Add($"eq5d.{shown}", $"Unknown item. The items are {string.Join(", ", Eq5dKeys)}.");
            ok = false;
        }
        foreach (var key in Eq5dKeys.Where(k => !eq5d.ContainsKey(k)))
        {
            errors.Add($"eq5d.{key}", "Required: the answer, or null where it was left unanswered.");
            ok = false;
        }
        if (!ok)
            return null;
        return new Eq5dAnswers(
            eq5d["mobility"],
            eq5d["selfCare"],
            eq5d["usualActivities"],
            eq5d["pain"],
            eq5d["anxiety"],
            eq5d["vas"]
        );
    }

    /// <summary>
    /// Null when <paramref name="completedOn"/> (the clinic's calendar day) fits: a baseline from
    /// <see cref="BaselineDaysBefore"/> days before the procedure to <see cref="BaselineDaysAfter"/> after it; a
    /// follow-up after the procedure and nearer its own due date than any other wave's (a one-year answer at most
    /// <see cref="OneYearDaysAfter"/> days late); never after a recorded death or withdrawal.
    /// </summary>
    public static string? CheckTiming(
        Wave wave,
        DateOnly completedOn,
        DateOnly procedure,
        DateOnly? death,
        DateOnly? withdrawn
    )
    {
        if (death is { } d && completedOn > d)
            return $"Lies after the recorded death ({Codes.Format(d)}).";
        if (withdrawn is { } w && completedOn > w)
            return $"Lies after the recorded withdrawal ({Codes.Format(w)}).";
        if (wave == Wave.Baseline)
        {
            var from = procedure.AddDays(-BaselineDaysBefore);
            var to = procedure.AddDays(BaselineDaysAfter);
            return completedOn < from || completedOn > to
                ? $"A baseline is answered from {Codes.Format(from)} to {Codes.Format(to)} (around the procedure)."
                : null;
        }
        if (completedOn < procedure)
            return $"A follow-up is answered after the procedure ({Codes.Format(procedure)}).";
        var due = wave.DueDate(procedure);
        var distance = Math.Abs(completedOn.DayNumber - due.DayNumber);
        Wave? nearer = Waves
            .All.Where(o => o != wave)
            .Select(o => (Wave?)o)
            .FirstOrDefault(o => Math.Abs(completedOn.DayNumber - o!.Value.DueDate(procedure).DayNumber) <= distance);
        if (nearer is { } other)
        {
            return $"Lies nearer the {other.Code()} due date ({Codes.Format(other.DueDate(procedure))}) than "
                + $"this wave's ({Codes.Format(due)}).";
        }
        if (wave == Wave.OneYear && completedOn > due.AddDays(OneYearDaysAfter))
            return $"Lies more than {OneYearDaysAfter} days after the one-year due date ({Codes.Format(due)}).";
        return null;
    }
}
