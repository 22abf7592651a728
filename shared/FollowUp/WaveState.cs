using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Patients;

namespace PvpServerless.FollowUp;

/// <summary>Where a wave stands (docs/follow-up.md has the diagram).</summary>
public enum WaveStatus
{
    Scheduled,
    Invited,
    Reminded,
    Answered,
    Expired,
    Undeliverable,
    Failed,
    Skipped,
}

/// <summary>The e-mail a wave is about to send or has sent last.</summary>
public enum EmailStatus
{
    None,
    Queued,
    Sending,
    Sent,
}

/// <summary>
/// The follow-up state of one wave, as kept in its row (<c>wave|{code}</c>) of the patient's partition. Changed only
/// with the row's ETag, together with an audit line.
/// </summary>
public sealed record WaveState(
    Wave Wave,
    DateOnly DueDate,
    DateOnly OpensOn,
    DateOnly ClosesOn,
    WaveStatus Status,
    int Reminders,
    string? SkipReason,
    string? EmailId,
    string? EmailKind,
    EmailStatus EmailStatus,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? ClaimedUntil,
    DateTimeOffset? LastSentAt,
    string? ProviderMessageId,
    string? FailureReason,
    string? TokenNonce,
    DateOnly? InvitedOn
)
{
    public static readonly IReadOnlyList<WaveStatus> Final =
    [
        WaveStatus.Answered,
        WaveStatus.Expired,
        WaveStatus.Undeliverable,
        WaveStatus.Failed,
        WaveStatus.Skipped,
    ];

    public bool IsFinal => Final.Contains(Status);

    public static string Code(WaveStatus s) => Codes.Of(s);

    public static WaveState From(TableEntity e, FollowUpOptions options)
    {
        var wave = Waves.TryParse(e.GetString("Wave"), out var w) ? w : throw new InvalidDataException("No wave.");
        var due = PatientEntities.Date(e.GetString("DueDate"))!.Value;
        // Rows written before windows were stored: a baseline then opens on the procedure day.
        var (opens, closes) = WaveWindows.Of(wave, due, due, options);
        return new WaveState(
            wave,
            due,
            PatientEntities.Date(e.GetString("OpensOn")) ?? opens,
            PatientEntities.Date(e.GetString("ClosesOn")) ?? closes,
            // An answer wins over whatever the e-mail side last wrote.
            e.GetDateTimeOffset("AnsweredAt")
                is null
                ? Parse(e.GetString("State"), WaveStatus.Scheduled)
                : WaveStatus.Answered,
            e.GetInt32("Reminders") ?? 0,
            e.GetString("SkipReason"),
            e.GetString("EmailId"),
            e.GetString("EmailKind"),
            Parse(e.GetString("EmailStatus"), EmailStatus.None),
            e.GetDateTimeOffset("QueuedAt"),
            e.GetDateTimeOffset("ClaimedUntil"),
            e.GetDateTimeOffset("LastSentAt"),
            e.GetString("ProviderMessageId"),
            e.GetString("FailureReason"),
            e.GetString("TokenNonce"),
            PatientEntities.Date(e.GetString("InvitedOn"))
        );
    }

    private static T Parse<T>(string? code, T fallback)
        where T : struct, Enum => Codes.TryParse<T>(code, out var v) ? v : fallback;
}

/// <summary>When a wave's window opens and closes (docs/follow-up.md, "Windows").</summary>
public static class WaveWindows
{
    public static (DateOnly OpensOn, DateOnly ClosesOn) Of(
        Wave wave,
        DateOnly dueDate,
        DateOnly enrolledOn,
        FollowUpOptions o
    ) =>
        wave == Wave.Baseline
            ? (enrolledOn, dueDate.AddDays(o.BaselineClosesDaysAfterProcedure))
            : (dueDate.AddDays(-o.OpensDaysBefore), dueDate.AddDays(o.ClosesDaysAfter));
}
