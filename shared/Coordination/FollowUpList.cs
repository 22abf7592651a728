using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Coordination;

/// <summary>The e-mail a wave sent or is sending last, with SendGrid's latest word on it.</summary>
public sealed record LastEmail(
    string? Kind,
    string? Status,
    DateTimeOffset? SentAt,
    string? DeliveryState,
    DateTimeOffset? DeliveryAt,
    string? FailureReason
);

/// <summary>One wave in a list: no contact details (those are in the patient's timeline only).</summary>
public sealed record FollowUpItem(
    string StudyId,
    string Wave,
    DateOnly DueDate,
    DateOnly OpensOn,
    DateOnly ClosesOn,
    string Status,
    string? SkipReason,
    bool Eligible,
    int Reminders,
    DateOnly? AnsweredOn,
    LastEmail? LastEmail,
    int? DaysOverdue
)
{
    /// <summary>
    /// Days overdue on <paramref name="asOf"/>: for a wave the overdue list holds that day (invited or reminded, its
    /// window open: <see cref="FollowUpListService.Filter"/>), the whole days since its window opened, 0 on the
    /// window's first day; null for every other wave (docs/coordination.md, "Dashboard").
    /// </summary>
    public static int? DaysOverdueOn(DateOnly asOf, WaveStatus status, DateOnly opensOn, DateOnly closesOn) =>
        (status is WaveStatus.Invited or WaveStatus.Reminded) && opensOn <= asOf && asOf <= closesOn
            ? asOf.DayNumber - opensOn.DayNumber
            : null;

    public static FollowUpItem Of(StatusEntry e, DateOnly asOf)
    {
        var email =
            e.EmailKind is null && e.DeliveryState is null && e.FailureReason is null
                ? null
                : new LastEmail(
                    e.EmailKind,
                    e.EmailStatus,
                    e.LastSentAt,
                    e.DeliveryState,
                    e.DeliveryAt,
                    e.FailureReason
                );
        return new FollowUpItem(
            e.StudyId,
            e.Wave.Code(),
            e.DueDate,
            e.OpensOn,
            e.ClosesOn,
            Codes.Of(e.Status),
            e.SkipReason,
            e.Eligible,
            e.Reminders,
            e.AnsweredOn,
            email,
            DaysOverdueOn(asOf, e.Status, e.OpensOn, e.ClosesOn)
        );
    }
}

public sealed record FollowUpPage(IReadOnlyList<FollowUpItem> Items, string? ContinuationToken);

/// <summary>
/// The list behind each number of the summary, in wave and due-date order. The counts' copy is its directory: only
/// the due days whose counts hold a matching cell are read, each one partition of the status index, so a page costs
/// what it shows, not what is enrolled.
/// </summary>
public sealed class FollowUpListService(StatusCounts counts, PvpStorage storage)
{
    /// <summary>Where the next page starts: wave (index), due day, and the storage token inside that day.</summary>
    private sealed record Position(string Q, int W, string? D, string? T);

    private const string Version = "f1\n";

    /// <summary>True when <paramref name="token"/> is one this list made for the same filter.</summary>
    public static bool IsToken(string token, FollowUpFilter filter) => Unwrap(token, filter) is not null;

    public async Task<FollowUpPage> ListAsync(
        FollowUpFilter filter,
        int pageSize,
        string? continuationToken,
        CancellationToken cancellationToken
    )
    {
        var start = continuationToken is null
            ? new Position(filter.Fingerprint, 0, null, null)
            : Unwrap(continuationToken, filter)
                ?? throw new ArgumentException("Not a continuation token of this list.", nameof(continuationToken));
        var waves = filter.Wave is { } one ? [one] : Waves.All;
        var items = new List<FollowUpItem>();
        for (var w = start.W; w < waves.Count; w++)
        {
            var from = w == start.W && start.D is { } d && Codes.TryParseDate(d, out var day) ? day : (DateOnly?)null;
            var days = (await counts.ReadAsync(waves[w], from, cancellationToken))
                .Where(c => c.Cells.Any(filter.Matches))
                .Select(c => c.DueDate)
                .ToList();
            for (var i = 0; i < days.Count; i++)
            {
                var storageToken = w == start.W && i == 0 && from == days[i] ? start.T : null;
                var partition = StatusIndexKeys.PartitionOf(waves[w], days[i]);
                await foreach (
                    var page in storage
                        .FollowUpStatus.QueryAsync<TableEntity>(
                            Filter(partition, filter),
                            maxPerPage: pageSize - items.Count,
                            cancellationToken: cancellationToken
                        )
                        .AsPages(storageToken, pageSize - items.Count)
                        .WithCancellation(cancellationToken)
                )
                {
                    items.AddRange(page.Values.Select(e => FollowUpItem.Of(StatusEntry.FromEntity(e), filter.AsOf)));
                    if (items.Count < pageSize)
                        continue;
                    var next = page.ContinuationToken is { } t
                        ? new Position(filter.Fingerprint, w, Codes.Format(days[i]), t)
                        : After(filter, waves.Count, w, i + 1 < days.Count ? days[i + 1] : null);
                    return new FollowUpPage(items, next is null ? null : Wrap(next));
                }
            }
        }
        return new FollowUpPage(items, null);
    }

    private static Position? After(FollowUpFilter filter, int waves, int w, DateOnly? nextDay) =>
        nextDay is { } d ? new Position(filter.Fingerprint, w, Codes.Format(d), null)
        : w + 1 < waves ? new Position(filter.Fingerprint, w + 1, null, null)
        : null;

    /// <summary>One partition's entries that match: a status (and reason), or the overdue rule.</summary>
    public static string Filter(string partition, FollowUpFilter filter)
    {
        var where = $"PartitionKey eq {TableKey.Literal(partition)} and {StatusIndexKeys.EntriesFilter}";
        if (filter.Overdue)
        {
            var day = TableKey.Literal(Codes.Format(filter.AsOf));
            return where
                + $" and (Status eq 'invited' or Status eq 'reminded') and OpensOn le {day} and ClosesOn ge {day}";
        }
        where += $" and Status eq {TableKey.Literal(Codes.Of(filter.Status!.Value))}";
        return filter.Reason is { } r ? where + $" and SkipReason eq {TableKey.Literal(r)}" : where;
    }

    private static string Wrap(Position p) =>
        Convert
            .ToBase64String(Encoding.UTF8.GetBytes(Version + JsonSerializer.Serialize(p)))
            .TrimEnd('=')
            .Replace('+', '-')
            .Replace('/', '_');

    private static Position? Unwrap(string token, FollowUpFilter filter)
    {
        if (token.Length is 0 or > 2048 || token.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            return null;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
            return null;
        var text = Encoding.UTF8.GetString(bytes, 0, length);
        if (!text.StartsWith(Version, StringComparison.Ordinal))
            return null;
        try
        {
            var p = JsonSerializer.Deserialize<Position>(text[Version.Length..]);
            var dayOk = p?.D is null || Codes.TryParseDate(p.D, out _);
            return p is not null && p.Q == filter.Fingerprint && p.W >= 0 && p.W < 3 && dayOk ? p : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
