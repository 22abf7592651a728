using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>What one Event Webhook post did: events by what became of them, waves by what changed.</summary>
public sealed record DeliveryReport(
    int Events,
    int Ignored,
    int UnknownEmails,
    int Undeliverable,
    int Recorded,
    int Unchanged
);

/// <summary>The answer to one Event Webhook post.</summary>
public abstract record WebhookOutcome
{
    /// <summary>Not verified (unsigned, badly signed, stale, or no key configured): nothing was read.</summary>
    public sealed record Refused(WebhookVerdict Verdict) : WebhookOutcome;

    /// <summary>Verified, but not an event array (<see cref="Error"/> names the problem).</summary>
    public sealed record Invalid(string Error) : WebhookOutcome;

    public sealed record Applied(DeliveryReport Report) : WebhookOutcome;

    /// <summary>
    /// Some wave lost every race: SendGrid should post again (the rest is applied; a repeat is harmless).
    /// </summary>
    public sealed record Busy : WebhookOutcome;
}

/// <summary>
/// SendGrid's delivery events applied to the waves their e-mails belong to (docs/openapi.yaml,
/// <c>POST /api/sendgrid/events</c>). The e-mail id leads to its wave through the <c>email</c> row the sender writes
/// in the Tokens table. A bounce, drop or spam report makes the wave <c>undeliverable</c> (unless it is answered);
/// every event is kept as the wave's <c>DeliveryState</c>, <c>DeliveryReason</c>, <c>DeliveryAt</c> and
/// <c>DeliveryEmailId</c>, the newest winning. Each change is one <see cref="FollowUpStore.ChangeAsync"/> per wave,
/// so a batch posted twice changes nothing the second time.
/// </summary>
public sealed class DeliveryEvents(
    PvpStorage storage,
    FollowUpStore store,
    SendGridWebhookVerifier verifier,
    Contention contention,
    TimeProvider clock,
    ILogger<DeliveryEvents> log
)
{
    public static readonly Actor Provider = new("sendgrid");

    private const int Parallelism = 4;

    private enum WaveResult
    {
        Undeliverable,
        Recorded,
        Unchanged,
        Unknown,
        Busy,
    }

    public async Task<WebhookOutcome> ReceiveAsync(
        string? signature,
        string? timestamp,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken
    )
    {
        var verdict = verifier.Verify(signature, timestamp, body.Span);
        if (verdict != WebhookVerdict.Valid)
            return new WebhookOutcome.Refused(verdict);
        if (!SendGridEventParser.TryParse(body.Span, out var batch, out var error))
            return new WebhookOutcome.Invalid(error ?? "body: not an event array.");
        return await ApplyAsync(batch, cancellationToken);
    }

    public async Task<WebhookOutcome> ApplyAsync(EmailEventBatch batch, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Parallelism,
            CancellationToken = cancellationToken,
        };
        var waveOf = new ConcurrentDictionary<string, WaveKey?>(StringComparer.Ordinal);
        var results = new ConcurrentBag<(WaveResult Result, int Events)>();
        try
        {
            await FindAndApplyAsync(batch, waveOf, results, parallel);
        }
        catch (Exception ex) when (Contention.IsUnavailable(ex))
        {
            // Storage is away (the SDK has retried): SendGrid posts the batch again after our 503, and what was
            // applied already changes nothing the second time.
            return new WebhookOutcome.Busy();
        }
        var unknown = batch.Events.Count(e => waveOf[e.EmailId] is null);
        unknown += results.Where(r => r.Result == WaveResult.Unknown).Sum(r => r.Events);
        var report = new DeliveryReport(
            batch.Events.Count,
            batch.Ignored,
            unknown,
            results.Count(r => r.Result == WaveResult.Undeliverable),
            results.Count(r => r.Result == WaveResult.Recorded),
            results.Count(r => r.Result == WaveResult.Unchanged)
        );
        log.LogInformation(
            "Delivery events: {Events} for us, {Ignored} ignored, {Unknown} of unknown e-mails; waves: "
                + "{Undeliverable} undeliverable, {Recorded} recorded, {Unchanged} unchanged",
            report.Events,
            report.Ignored,
            report.UnknownEmails,
            report.Undeliverable,
            report.Recorded,
            report.Unchanged
        );
        return results.Any(r => r.Result == WaveResult.Busy)
            ? new WebhookOutcome.Busy()
            : new WebhookOutcome.Applied(report);
    }

    private sealed record WaveKey(string StudyId, Wave Wave);

    /// <summary>Finds each e-mail's wave (its lookup row), then applies each wave's events, in parallel.</summary>
    private async Task FindAndApplyAsync(
        EmailEventBatch batch,
        ConcurrentDictionary<string, WaveKey?> waveOf,
        ConcurrentBag<(WaveResult Result, int Events)> results,
        ParallelOptions parallel
    )
    {
        await Parallel.ForEachAsync(
            batch.Events.Select(e => e.EmailId).Distinct(StringComparer.Ordinal),
            parallel,
            async (id, ct) => waveOf[id] = await WaveOfAsync(id, ct)
        );
        var groups = batch.Events.Where(e => waveOf[e.EmailId] is not null).GroupBy(e => waveOf[e.EmailId]!).ToList();
        await Parallel.ForEachAsync(
            groups,
            parallel,
            async (g, ct) => results.Add((await ApplyToWaveAsync(g.Key, [.. g], ct), g.Count()))
        );
    }

    /// <summary>
    /// The wave an e-mail belongs to: the sender's lookup row (PartitionKey = e-mail id, RowKey = email).
    /// </summary>
    private async Task<WaveKey?> WaveOfAsync(string emailId, CancellationToken cancellationToken)
    {
        var row = await storage.Tokens.GetEntityIfExistsAsync<TableEntity>(
            emailId,
            "email",
            select: ["StudyId", "Wave"],
            cancellationToken: cancellationToken
        );
        if (!row.HasValue || row.Value!.GetString("StudyId") is not { } studyId)
            return null;
        return Waves.TryParse(row.Value.GetString("Wave"), out var wave) ? new WaveKey(studyId, wave) : null;
    }

    private async Task<WaveResult> ApplyToWaveAsync(
        WaveKey key,
        IReadOnlyList<EmailEvent> events,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            if (await store.ReadAsync(key.StudyId, key.Wave, cancellationToken) is not { } context)
                return WaveResult.Unknown;
            if (DeliveryChange.Decide(context, events) is not { } change)
                return WaveResult.Unchanged;
            try
            {
                await store.ChangeAsync(
                    context,
                    change.Columns,
                    Provider,
                    change.Undeliverable ? "emailUndeliverable" : "deliveryRecorded",
                    change.Details,
                    clock.GetUtcNow(),
                    cancellationToken
                );
                return change.Undeliverable ? WaveResult.Undeliverable : WaveResult.Recorded;
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                // The sender, the scheduler or an answer changed the wave since we read it: decide again.
                await contention.PauseAsync(attempt, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                // Storage is away (the SDK has retried): SendGrid posts again after our 503.
                break;
            }
        }
        return WaveResult.Busy;
    }
}

/// <summary>What a wave's delivery events change on its row, as a pure function of the row and the events.</summary>
public sealed record DeliveryChange(bool Undeliverable, IReadOnlyDictionary<string, object?> Columns, object Details)
{
    /// <summary>SendGrid's own event names, as kept in <c>DeliveryState</c>.</summary>
    public static string Code(EmailEventType type) =>
        type switch
        {
            EmailEventType.Delivered => "delivered",
            EmailEventType.Deferred => "deferred",
            EmailEventType.Bounce => "bounce",
            EmailEventType.Dropped => "dropped",
            EmailEventType.SpamReport => "spamreport",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };

    public static bool IsFailure(EmailEventType type) =>
        type is EmailEventType.Bounce or EmailEventType.Dropped or EmailEventType.SpamReport;

    /// <summary>
    /// Null when nothing changes: the events are older than (or the same as) what the row records, or only say
    /// "delivered"/"deferred" of a wave already undeliverable. A failure makes any wave but an answered one
    /// undeliverable; an answered wave only records it.
    /// </summary>
    public static DeliveryChange? Decide(WaveContext context, IReadOnlyList<EmailEvent> events)
    {
        var status = context.Wave.Status;
        // An answer is recorded as AnsweredAt; the State column may still say "invited" (docs/storage.md).
        var answered = status == WaveStatus.Answered || context.Row.GetDateTimeOffset("AnsweredAt") is not null;
        var failure = events.Where(e => IsFailure(e.Type)).MaxBy(e => e.Timestamp);
        var makeUndeliverable = failure is not null && !answered && status != WaveStatus.Undeliverable;
        var chosen =
            status == WaveStatus.Undeliverable || makeUndeliverable
                ? failure
                : events.MaxBy(e => (e.Timestamp, IsFailure(e.Type)));
        if (chosen is null)
            return null;
        var row = context.Row;
        var recorded = (row.GetDateTimeOffset("DeliveryAt"), row.GetString("DeliveryState"));
        if (!makeUndeliverable && !IsNewer(chosen, recorded))
            return null;

        var columns = new Dictionary<string, object?>
        {
            ["DeliveryState"] = Code(chosen.Type),
            // "" rather than null: a merge leaves a column it is not given, and an old reason must not stay.
            ["DeliveryReason"] = ProviderText.Clean(chosen.Reason),
            ["DeliveryAt"] = chosen.Timestamp,
            ["DeliveryEmailId"] = chosen.EmailId,
        };
        if (makeUndeliverable)
            columns["State"] = WaveState.Code(WaveStatus.Undeliverable);
        var details = makeUndeliverable
            ? new
            {
                @event = Code(chosen.Type),
                reason = columns["DeliveryReason"],
                emailId = chosen.EmailId,
                from = WaveState.Code(status),
            }
            : (object)new { @event = Code(chosen.Type), emailId = chosen.EmailId };
        return new DeliveryChange(makeUndeliverable, columns, details);
    }

    // Newest wins; at the same second a failure outranks a delivery report.
    private static bool IsNewer(EmailEvent e, (DateTimeOffset? At, string? State) recorded)
    {
        if (recorded.At is not { } at || e.Timestamp > at)
            return true;
        if (e.Timestamp < at)
            return false;
        var recordedFailure = recorded.State is "bounce" or "dropped" or "spamreport";
        return IsFailure(e.Type) && !recordedFailure;
    }
}
