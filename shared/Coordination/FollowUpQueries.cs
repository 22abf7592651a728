using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Web;

namespace PvpServerless.Coordination;

/// <summary>
/// Which waves a list shows: one wave or all, a status (or <c>overdue</c>: invited or reminded with the window open
/// on <see cref="AsOf"/>), for skipped waves optionally the reason.
/// </summary>
public sealed record FollowUpFilter(Wave? Wave, WaveStatus? Status, bool Overdue, string? Reason, DateOnly AsOf)
{
    /// <summary>What a continuation token is bound to: a token of another list is refused.</summary>
    public string Fingerprint =>
        $"{Wave?.Code() ?? "*"}|{(Overdue ? "overdue" : Codes.Of(Status!.Value))}|{Reason}|{Codes.Format(AsOf)}";

    public bool Matches(StatusCell cell) =>
        Overdue ? cell.IsOverdueOn(AsOf) : cell.Status == Status && (Reason is null || cell.Facet == Reason);
}

/// <summary>The query parameters of the follow-up routes, checked: each bad one is named (RFC 7807, 400).</summary>
public static class FollowUpQueries
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static readonly IReadOnlyList<string> Statuses =
    [
        .. Enum.GetValues<WaveStatus>().Select(s => Codes.Of(s)),
        "overdue",
    ];

    /// <summary>
    /// <c>asOf</c>: a day on or before today at the clinic; today when empty. Null with the error in
    /// <paramref name="errors"/> otherwise.
    /// </summary>
    public static DateOnly? AsOf(string? text, DateOnly today, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
            return today;
        if (!Codes.TryParseDate(text, out var day))
            errors.Add("asOf", "A date as yyyy-MM-dd, e.g. 2026-04-30.");
        else if (day > today)
            errors.Add("asOf", $"Lies after today ({Codes.Format(today)}): counts are known up to today.");
        else
            return day;
        return null;
    }

    /// <summary>The list's filter and page size, or null with every bad parameter named.</summary>
    public static (FollowUpFilter? Filter, int PageSize) List(
        string? wave,
        string? status,
        string? reason,
        string? asOf,
        string? pageSize,
        DateOnly today,
        FieldErrors errors
    )
    {
        Wave? w = null;
        if (!string.IsNullOrEmpty(wave))
        {
            if (Waves.TryParse(wave, out var parsed))
                w = parsed;
            else
                errors.Add("wave", "baseline, 3m or 1y (or leave it out for all three).");
        }
        WaveStatus? s = null;
        var overdue = status == "overdue";
        if (string.IsNullOrEmpty(status))
            errors.Add("status", "Required: " + string.Join(", ", Statuses) + ".");
        else if (!overdue)
        {
            if (Codes.TryParse<WaveStatus>(status, out var parsed))
                s = parsed;
            else
                errors.Add("status", "One of " + string.Join(", ", Statuses) + ".");
        }
        var r = string.IsNullOrEmpty(reason) ? null : reason;
        if (r is not null && (status != "skipped" || !FollowUpSummaryService.SkipReasons.Contains(r)))
        {
            errors.Add(
                "reason",
                "Only with status=skipped: " + string.Join(", ", FollowUpSummaryService.SkipReasons) + "."
            );
        }
        var size = string.IsNullOrEmpty(pageSize) ? DefaultPageSize
            : WholeNumber.TryParse(pageSize, out var n) ? n
            : 0;
        if (size is < 1 or > MaxPageSize)
            errors.Add("pageSize", $"A whole number from 1 to {MaxPageSize}.");
        var day = AsOf(asOf, today, errors);
        return errors.IsEmpty ? (new FollowUpFilter(w, s, overdue, r, day!.Value), size) : (null, size);
    }
}
