using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Patients;

namespace PvpServerless.Coordination.Actions;

/// <summary>
/// The body of <c>POST /api/patients/{studyId}/waves/{wave}/resend</c>: an optional <c>id</c> naming this resend
/// (a retry with it changes nothing), and <c>closesOn</c> to move the window (required when it has closed).
/// </summary>
public sealed record ResendRequest(string? Id, string? ClosesOn);

public sealed record ResendAnswer(
    string StudyId,
    string Wave,
    string EmailId,
    DateOnly ClosesOn,
    bool NewLink,
    bool Changed
);

/// <summary>
/// Sends a wave's invitation again now, through the queue and the sender like every e-mail, so their exactly-once
/// claim holds (docs/follow-up.md). While the window is open the e-mail carries the wave's link (same token nonce);
/// once it has closed, the coordinator gives a new closing day and the e-mail carries a new link, since the old one
/// stopped working when the window closed (docs/coordination.md, "Resend").
/// </summary>
public sealed class InvitationResend(
    FollowUpStore store,
    FollowUpScheduler scheduler,
    ScheduleIndex index,
    TokenStore tokens,
    ClinicClock clinic,
    ActionRetry retry,
    IOptions<FollowUpOptions> options,
    TimeProvider clock
)
{
    public const string Action = "invitationResent";
    public const string LastResendColumn = "LastResend";

    private readonly byte[] _tokenKey = Convert.FromBase64String(options.Value.TokenKey);

    /// <summary>What the wave row keeps of its last resend, so that a repeat answers as the first did.</summary>
    private sealed record LastResend(string Id, string EmailId, bool NewLink);

    public async Task<ActionOutcome> ResendAsync(
        string studyId,
        string waveCode,
        ResendRequest? request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        request ??= new ResendRequest(null, null);
        var errors = new FieldErrors();
        if (!Waves.TryParse(waveCode, out var wave))
            errors.Add("wave", "baseline, 3m or 1y.");
        if (request.Id is not null && !ActionIds.IsValid(request.Id))
            errors.Add("id", "1–64 letters, digits, '_' or '-'.");
        DateOnly? closesOn = null;
        if (request.ClosesOn is not null)
        {
            if (Codes.TryParseDate(request.ClosesOn, out var day))
                closesOn = day;
            else
                errors.Add("closesOn", "A date as yyyy-MM-dd.");
        }
        if (!errors.IsEmpty)
            return new ActionOutcome.Invalid(errors.ToDictionary());
        return await retry.RunAsync(
            c => TryResendAsync(studyId, wave, request.Id, closesOn, actor, c),
            cancellationToken
        );
    }

    private async Task<ActionOutcome> TryResendAsync(
        string studyId,
        Wave wave,
        string? requestId,
        DateOnly? closesOn,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await store.ReadAsync(studyId, wave, cancellationToken) is not { Standing.Active: true } context)
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        var today = clinic.Today();
        var now = clock.GetUtcNow();
        var w = context.Wave;
        // Without an id, a resend is named by its day and window: the same request again that day is a retry.
        var id = requestId ?? Codes.Format(today) + (closesOn is { } c ? "-" + Codes.Format(c) : "");
        if (Last(context) is { } last && last.Id == id)
            return Answer(context, last.EmailId, w.ClosesOn, last.NewLink, changed: false);
        if (Refuse(context, closesOn, today, now) is { } refused)
            return refused;

        var closed = today > w.ClosesOn || w.Status == WaveStatus.Expired;
        var newClose = closesOn ?? w.ClosesOn;
        var newLink = closed && w.TokenNonce is not null;
        var nonce = closed || w.TokenNonce is null ? NewNonce() : w.TokenNonce;
        var emailId = EmailIds.New();
        var (columns, details) = Change(w, new LastResend(id, emailId, newLink), nonce, newClose, now);
        // The scheduler looks again tomorrow (as after its own e-mails): a message lost on the way is queued again.
        await index.AddAsync(context.StudyId, wave, today.AddDays(1), cancellationToken);
        await store.ChangeAsync(context, columns, actor, Action, details, now, cancellationToken);
        if (!closed && newClose != w.ClosesOn && w.TokenNonce is not null)
            await tokens.SetClosesOnAsync(
                SurveyToken.Derive(_tokenKey, w.TokenNonce).Hash,
                newClose,
                cancellationToken
            );
        await scheduler.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await scheduler.Queue.SendMessageAsync(
            InvitationMessage.Serialize(new InvitationMessage(context.StudyId, wave.Code(), emailId)),
            cancellationToken
        );
        return Answer(context, emailId, newClose, newLink, changed: true);
    }

    /// <summary>The wave row's columns for the queued e-mail, and the audit line's details.</summary>
    private static (Dictionary<string, object?> Columns, object Details) Change(
        WaveState w,
        LastResend resend,
        string nonce,
        DateOnly newClose,
        DateTimeOffset now
    )
    {
        var columns = new Dictionary<string, object?>
        {
            ["EmailId"] = resend.EmailId,
            ["EmailKind"] = FollowUpRules.KindCode(0),
            ["EmailStatus"] = "queued",
            ["QueuedAt"] = now,
            ["TokenNonce"] = nonce,
            [LastResendColumn] = JsonSerializer.Serialize(resend, PatientEntities.Json),
        };
        if (newClose != w.ClosesOn)
            columns["ClosesOn"] = Codes.Format(newClose);
        if (w.IsFinal)
        {
            // A failed, undeliverable, expired or skipped wave is open again: the sender only sends for open waves.
            columns["State"] = WaveRules.ReopenedState(w);
            columns["SkipReason"] = null; // removed: the wave is no longer skipped
        }
        var details = new
        {
            kind = FollowUpRules.KindCode(0),
            emailId = resend.EmailId,
            newLink = resend.NewLink,
            closesOn = newClose != w.ClosesOn ? new { from = w.ClosesOn, to = newClose } : null,
            from = w.IsFinal ? Codes.Of(w.Status) : null,
        };
        return (columns, details);
    }

    /// <summary>Why this wave's invitation cannot go again now, or null.</summary>
    private ActionOutcome? Refuse(WaveContext context, DateOnly? closesOn, DateOnly today, DateTimeOffset now)
    {
        var w = context.Wave;
        // A closing day out of bounds is a bad field (400), whatever the wave's state.
        var procedure = PatientEntities.Date(context.Patient.GetString("ProcedureDate"))!.Value;
        if (closesOn is { } c && WaveRules.CheckClosesOn(w, procedure, c, today) is { } problem)
            return ActionOutcome.Bad("closesOn", problem);
        if (WaveRules.RefuseEmail(context) is { } refused)
            return refused;
        if (w.Status == WaveStatus.Answered)
            return new ActionOutcome.Conflict("wave", $"The {w.Wave.Code()} questionnaire is answered.");
        if (today < w.OpensOn)
        {
            return new ActionOutcome.Conflict(
                "wave",
                $"The window opens on {Codes.Format(w.OpensOn)}; the invitation goes then by itself."
            );
        }
        if (w.EmailStatus is EmailStatus.Queued or EmailStatus.Sending)
        {
            // As the scheduler's rule: an e-mail in flight is left alone until its claim (or queueing) is stale.
            var claimEnds = w.EmailStatus == EmailStatus.Sending ? w.ClaimedUntil : null;
            if ((claimEnds ?? w.QueuedAt + options.Value.ClaimTimeout) >= now)
                return new ActionOutcome.Conflict(
                    "wave",
                    $"An e-mail ({w.EmailKind}) of this wave is on its way now; look again in a few minutes."
                );
        }
        if ((today > w.ClosesOn || w.Status == WaveStatus.Expired) && closesOn is null)
        {
            return new ActionOutcome.Conflict(
                "closesOn",
                $"The window closed on {Codes.Format(w.ClosesOn)}: give closesOn to open it again; the e-mail then "
                    + "carries a new link."
            );
        }
        return null;
    }

    private static LastResend? Last(WaveContext context) =>
        context.Row.GetString(LastResendColumn) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<LastResend>(json, PatientEntities.Json)
            : null;

    private static ActionOutcome.Done Answer(
        WaveContext context,
        string emailId,
        DateOnly closesOn,
        bool newLink,
        bool changed
    ) => new(new ResendAnswer(context.StudyId, context.Wave.Wave.Code(), emailId, closesOn, newLink, changed), changed);

    private static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

/// <summary>Client names of an action (a resend): as event ids, 1–64 letters, digits, '_' or '-'.</summary>
public static class ActionIds
{
    public static bool IsValid(string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
