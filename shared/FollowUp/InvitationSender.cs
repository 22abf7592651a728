using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>What the sender did with one message.</summary>
public enum SendDisposition
{
    Sent,

    /// <summary>A copy of a message already handled, or one whose e-mail another sender holds: nothing done.</summary>
    Duplicate,
    Skipped,
    Failed,

    /// <summary>Not now (SendGrid asked to wait): the claim is released and the message comes back later.</summary>
    RetryLater,
    Dropped,
}

/// <summary>
/// The provider asked us to wait longer than one delivery may: let the queue deliver the message again.
/// </summary>
public sealed class SendLaterException(TimeSpan retryAfter, string reason)
    : Exception($"The e-mail provider asked to retry in {retryAfter}: {reason}")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The sender (queue function <c>SendInvitation</c>): claims the wave's e-mail with the row's ETag, re-reads the
/// patient, renders and sends one e-mail, then marks it sent with the provider's message id — each step a
/// transaction with its audit line. A second copy of the message, or a second sender, finds the claim and does
/// nothing (docs/follow-up.md, "Exactly once").
/// </summary>
public sealed class InvitationSender(
    PvpStorage storage,
    FollowUpStore store,
    ScheduleIndex index,
    TokenStore tokens,
    InvitationComposer composer,
    RetryingEmailSender sender,
    Contention contention,
    ClinicClock clinic,
    IOptions<FollowUpOptions> options,
    TimeProvider clock,
    ILogger<InvitationSender> log
)
{
    private readonly byte[] _tokenKey = Convert.FromBase64String(options.Value.TokenKey);

    public async Task<SendDisposition> HandleAsync(string? messageText, CancellationToken cancellationToken)
    {
        if (InvitationMessage.TryParse(messageText) is not { } message)
        {
            log.LogWarning("An invitations message that is not ours was dropped");
            return SendDisposition.Dropped;
        }
        Waves.TryParse(message.Wave, out var wave);
        if (await ClaimAsync(message, wave, cancellationToken) is not { } claimed)
            return SendDisposition.Duplicate;
        if (claimed.Disposition is { } done)
            return done;
        return await SendAsync(claimed.Context, message, cancellationToken);
    }

    private sealed record Claim(WaveContext Context, SendDisposition? Disposition);

    /// <summary>Takes the e-mail for this sender; null when it is not (or no longer) ours to send.</summary>
    private async Task<Claim?> ClaimAsync(InvitationMessage message, Wave wave, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            var context = await store.ReadAsync(message.StudyId, wave, cancellationToken);
            var w = context?.Wave;
            if (
                context is null
                || w!.EmailId != message.EmailId
                || w.EmailStatus is EmailStatus.Sent or EmailStatus.None
            )
                return null;
            if (w.EmailStatus == EmailStatus.Sending && w.ClaimedUntil > now)
                return null;
            try
            {
                var reason = FollowUpRules.SkipReason(context.Standing);
                if (reason is not null || w.IsFinal)
                {
                    // Death, withdrawal or opt-out recorded after the e-mail was queued: it does not go.
                    await store.ChangeAsync(
                        context,
                        w.IsFinal
                            ? new Dictionary<string, object?> { ["EmailStatus"] = "none" }
                            : new Dictionary<string, object?>
                            {
                                ["EmailStatus"] = "none",
                                ["State"] = "skipped",
                                ["SkipReason"] = reason,
                            },
                        FollowUpStore.Sender,
                        "emailCancelled",
                        new { kind = w.EmailKind, reason = reason ?? Codes.Of(w.Status) },
                        now,
                        cancellationToken
                    );
                    return new Claim(context, SendDisposition.Skipped);
                }
                await store.ChangeAsync(
                    context,
                    new Dictionary<string, object?>
                    {
                        ["EmailStatus"] = "sending",
                        ["ClaimedUntil"] = now + options.Value.ClaimTimeout,
                    },
                    FollowUpStore.Sender,
                    "emailClaimed",
                    new { kind = w.EmailKind },
                    now,
                    cancellationToken
                );
                // The claim changed the row: read it again so the next write carries the new ETag.
                return new Claim((await store.ReadAsync(message.StudyId, wave, cancellationToken))!, null);
            }
            catch (Exception ex) when (Storage.Contention.IsLostRace(ex))
            {
                // Another copy of the message claimed it first: look again.
            }
        }
        return null;
    }

    private async Task<SendDisposition> SendAsync(
        WaveContext context,
        InvitationMessage message,
        CancellationToken cancellationToken
    )
    {
        var w = context.Wave;
        var reminder =
            w.EmailKind is { } k && k.StartsWith("reminder", StringComparison.Ordinal)
                ? int.Parse(k[8..], System.Globalization.CultureInfo.InvariantCulture)
                : 0;
        var token = SurveyToken.Derive(_tokenKey, w.TokenNonce!);
        await EnsureTokenAsync(token, context, cancellationToken);
        await WriteLookupAsync(message, context.StudyId, cancellationToken);
        var email = composer.Compose(
            new InvitationRequest(
                message.EmailId,
                context.Contact!.Email,
                reminder == 0 ? EmailKind.Invitation : EmailKind.ReminderNumber(reminder),
                w.Wave,
                context.Contact.Language,
                token,
                w.ClosesOn
            )
        );
        var outcome = await sender.SendAsync(email, cancellationToken);
        var now = clock.GetUtcNow();
        switch (outcome.Result)
        {
            case SendResult.Sent sent:
                await MarkSentAsync(context, message, reminder, sent.MessageId, now, cancellationToken);
                return SendDisposition.Sent;
            case SendResult.Rejected rejected:
                await MarkAsync(
                    context,
                    new Dictionary<string, object?>
                    {
                        ["State"] = "failed",
                        ["EmailStatus"] = "none",
                        ["ClaimedUntil"] = null,
                        ["FailureReason"] = ProviderText.Clean(rejected.Reason),
                    },
                    "emailFailed",
                    new
                    {
                        kind = w.EmailKind,
                        status = rejected.Status,
                        reason = ProviderText.Clean(rejected.Reason),
                    },
                    now,
                    cancellationToken
                );
                return SendDisposition.Failed;
            case SendResult.RetryLater later:
                await MarkAsync(
                    context,
                    new Dictionary<string, object?> { ["EmailStatus"] = "queued", ["ClaimedUntil"] = null },
                    "emailDeferred",
                    new { kind = w.EmailKind, retryAfterSeconds = (int)later.RetryAfter.TotalSeconds },
                    now,
                    cancellationToken
                );
                throw new SendLaterException(later.RetryAfter, later.Reason);
            default:
                throw new InvalidOperationException("Unknown send result.");
        }
    }

    private async Task MarkSentAsync(
        WaveContext context,
        InvitationMessage message,
        int reminder,
        string providerId,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        var today = clinic.Today();
        var columns = new Dictionary<string, object?>
        {
            ["EmailStatus"] = "sent",
            ["ClaimedUntil"] = null,
            ["LastSentAt"] = now,
            ["ProviderMessageId"] = ProviderText.Clean(providerId),
        };
        // An answer or a bounce that arrived while we sent keeps the wave's state; the e-mail is still recorded.
        if (!context.Wave.IsFinal)
        {
            columns["State"] = reminder == 0 ? "invited" : "reminded";
            columns["Reminders"] = reminder;
            if (reminder == 0)
                columns["InvitedOn"] = Codes.Format(today);
        }
        await MarkAsync(
            context,
            columns,
            reminder == 0 ? "invitationSent" : "reminderSent",
            new { kind = context.Wave.EmailKind },
            now,
            cancellationToken
        );
        var sentWave = context.Wave with
        {
            InvitedOn = reminder == 0 ? today : context.Wave.InvitedOn,
            Reminders = reminder,
        };
        await index.AddAsync(
            context.StudyId,
            context.Wave.Wave,
            FollowUpRules.NextVisit(sentWave, today, reminder, options.Value),
            cancellationToken
        );
    }

    /// <summary>
    /// Writes an outcome over our own claim: re-read after a lost race (e.g. a bounce or an answer), wait while
    /// storage is away (up to <see cref="Contention.OutagePatience"/>: each try's SDK retries are short). The
    /// e-mail's fate is known now; were it not written, the claim would run out and a sent e-mail would go again
    /// (docs/evidence.md, "Faults").
    /// </summary>
    private async Task MarkAsync(
        WaveContext context,
        Dictionary<string, object?> columns,
        string action,
        object details,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        var emailId = context.Wave.EmailId;
        var (races, outages, waited) = (0, 0, TimeSpan.Zero);
        while (true)
        {
            try
            {
                await store.ChangeAsync(
                    context,
                    columns,
                    FollowUpStore.Sender,
                    action,
                    details,
                    now,
                    cancellationToken
                );
                return;
            }
            catch (Exception ex) when (Storage.Contention.IsLostRace(ex) && races++ < Storage.Contention.Attempts)
            {
                context = (await store.ReadAsync(context.StudyId, context.Wave.Wave, cancellationToken))!;
                // Our claim is gone from our own e-mail: the write before storage went away did land.
                if (context.Wave.EmailId == emailId && context.Wave.EmailStatus != EmailStatus.Sending)
                    return;
                if (context.Wave.IsFinal)
                    columns.Remove("State");
            }
            catch (Exception ex) when (Storage.Contention.IsUnavailable(ex) && waited < Contention.OutagePatience)
            {
                waited += await contention.WaitForStorageAsync(outages++, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The event webhook's way from the e-mail id to its wave (PartitionKey = e-mail id, RowKey = email), written
    /// before the e-mail can exist: storage going away after the send cannot leave a bounce without its wave (the
    /// row lives in another table than the wave, so it cannot share the "sent" transaction; docs/evidence.md,
    /// "Faults"). An e-mail that then does not go leaves a row no event will ask for.
    /// </summary>
    private Task WriteLookupAsync(InvitationMessage message, string studyId, CancellationToken cancellationToken) =>
        storage.Tokens.UpsertEntityAsync(
            new TableEntity(message.EmailId, "email") { ["StudyId"] = studyId, ["Wave"] = message.Wave },
            TableUpdateMode.Replace,
            cancellationToken
        );

    private async Task EnsureTokenAsync(SurveyToken token, WaveContext context, CancellationToken cancellationToken)
    {
        // A reminder carries the wave's token, stored when the invitation went.
        if (await tokens.FindAsync(token.Value, cancellationToken) is null)
        {
            var grant = new SurveyGrant(context.StudyId, context.Wave.Wave, context.Wave.ClosesOn);
            await tokens.CreateAsync(token, grant, cancellationToken);
        }
    }
}
