using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Contacts;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

public abstract record EventResult
{
    public sealed record Applied(string EventId, PatientRecord Patient) : EventResult;

    /// <summary>The same event was recorded before: nothing changed (a retry is safe). <c>Note</c> says why.</summary>
    public sealed record AlreadyApplied(string EventId, PatientRecord Patient, string? Note = null) : EventResult;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : EventResult;

    public sealed record NotFound(string StudyId) : EventResult;

    /// <summary>The event contradicts what is recorded (a second, different death date; an id used before).</summary>
    public sealed record Conflict(string Field, string Message) : EventResult;

    /// <summary>Every attempt lost a race for the record: nothing was stored, send it again later.</summary>
    public sealed record Busy(TimeSpan RetryAfter) : EventResult;
}

/// <summary>
/// Records death, withdrawal, X-ray leakage assessments, complications and contact changes. Each clinical event is
/// written with the patient's updated record and an audit line in one transaction guarded by the record's ETag, and
/// is keyed by its id (the client's, or one derived from the event's normal form), so sending it twice changes
/// nothing the second time. A contact change is one transaction in the contacts table (docs/storage.md).
/// </summary>
public sealed class PatientEventService(
    PvpStorage storage,
    ContactStore contacts,
    PatientQueries queries,
    FollowUp.StatusIndex statusIndex,
    Contention contention,
    Coordination.WaveReview review,
    Domain.ClinicClock clinic,
    TimeProvider clock
)
{
    public async Task<EventResult> RecordAsync(
        string studyId,
        PatientEventRequest? request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (request is null)
            errors.Add("body", "The body must be a JSON object with a 'type'.");
        else
            PatientEvents.ValidateShape(request, errors);
        if (!errors.IsEmpty)
            return new EventResult.Invalid(errors.ToDictionary());
        if (!StudyIds.IsValid(studyId))
            return new EventResult.NotFound(studyId);
        if (request!.Type == PatientEvents.ContactChange)
            return await ChangeContactAsync(studyId, request, actor, cancellationToken);

        var contentHash = Sha256(PatientEvents.Normalise(request));
        var eventId = request.Id ?? contentHash[..32];
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            try
            {
                var result = await TryRecordAsync(studyId, request, eventId, contentHash, actor, cancellationToken);
                // Death and withdrawal end follow-up: the scheduler skips the open waves now, not on their next
                // index day (docs/coordination.md). A retry does it again, in case a crash came in between.
                if (
                    request.Type is PatientEvents.Death or PatientEvents.Withdrawal
                    && result is EventResult.Applied or EventResult.AlreadyApplied
                )
                    await review.ReviewAsync(studyId, cancellationToken);
                return result;
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                // Someone changed the record (412) or recorded this very event (409) meanwhile: read, decide again.
                await contention.PauseAsync(attempt, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                // Storage is away and the SDK has retried already: 503 now (docs/evidence.md, "Faults").
                break;
            }
        }
        return new EventResult.Busy(Contention.RetryAfter);
    }

    private async Task<EventResult> TryRecordAsync(
        string studyId,
        PatientEventRequest request,
        string eventId,
        string contentHash,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await ActivePatients.ReadAsync(storage.Patients, studyId, cancellationToken) is not { } patient)
            return new EventResult.NotFound(studyId);
        var partition = PatientEntities.PartitionOf(studyId);

        var previous = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            PatientEntities.EventPrefix + eventId,
            cancellationToken: cancellationToken
        );
        if (previous.HasValue)
        {
            // A retry may follow a crash between the event's write and the index's: sync again.
            if (request.Type is PatientEvents.Death or PatientEvents.Withdrawal)
                await statusIndex.TrySyncPatientAsync(studyId, cancellationToken);
            return await SameIdAsync(studyId, request, eventId, contentHash, previous.Value!, cancellationToken);
        }

        var today = clinic.Today();
        var outcome = PatientEvents.Apply(request, patient, today);
        switch (outcome)
        {
            case PatientEvents.Outcome.Rejected r:
                return r.IsConflict ? new EventResult.Conflict(r.Field, r.Message) : Invalid(r.Field, r.Message);
            case PatientEvents.Outcome.Unchanged:
                return await AlreadyAsync(eventId, studyId, null, cancellationToken);
        }
        var change = (PatientEvents.Outcome.Changed)outcome;

        var now = clock.GetUtcNow();
        var update = new TableEntity(partition, PatientEntities.PatientRow);
        foreach (var (key, value) in change.Columns)
            update[key] = value;
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.UpdateMerge, update, patient.ETag),
            new(
                TableTransactionActionType.Add,
                new TableEntity(partition, PatientEntities.EventPrefix + eventId)
                {
                    ["Type"] = request.Type,
                    ["At"] = now,
                    ["Actor"] = actor.ToString(),
                    ["Details"] = change.AuditDetails,
                    ["ContentHash"] = contentHash,
                }
            ),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(now, actor, request.Type!, change.AuditDetails).ToEntity(partition)
            ),
        ];
        await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        // A death or withdrawal before a due date makes that wave ineligible (the follow-up rate's denominator).
        if (request.Type is PatientEvents.Death or PatientEvents.Withdrawal)
            await statusIndex.TrySyncPatientAsync(studyId, cancellationToken);
        var record =
            await queries.GetAsync(studyId, cancellationToken)
            ?? throw new InvalidOperationException($"Patient {studyId} vanished.");
        return new EventResult.Applied(eventId, record);
    }

    /// <summary>An event with this id exists: a retry of it (same normal form), or a different event (409).</summary>
    private async Task<EventResult> SameIdAsync(
        string studyId,
        PatientEventRequest request,
        string eventId,
        string contentHash,
        TableEntity previous,
        CancellationToken cancellationToken
    )
    {
        if (previous.GetString("ContentHash") != contentHash)
        {
            return new EventResult.Conflict(
                "id",
                $"Event id '{eventId}' was used on {previous.GetDateTimeOffset("At"):yyyy-MM-dd} for a different "
                    + "event; nothing was stored. Give this event an id of its own."
            );
        }
        var note =
            request.Id is null && request.Type == PatientEvents.ComplicationEvent
                ? "An identical complication (same type, symptom and date) is already recorded, so this was taken "
                    + "as a retry. To record a second one, send it with an 'id' of its own."
                : null;
        return await AlreadyAsync(eventId, studyId, note, cancellationToken);
    }

    private async Task<EventResult> ChangeContactAsync(
        string studyId,
        PatientEventRequest request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        // A contact change is never hashed (a hash of an address still finds a person): without a client id it
        // gets a fresh one and is idempotent by effect, since setting the contact it already has changes nothing.
        var eventId = request.Id ?? Guid.NewGuid().ToString("N");
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            try
            {
                if (await queries.GetAsync(studyId, cancellationToken) is null)
                    return new EventResult.NotFound(studyId);
                var language =
                    request.Language is { } l && Domain.Codes.TryParse<Domain.Language>(l, out var parsed)
                        ? parsed
                        : (Domain.Language?)null;
                var change = new ContactChange(eventId, request.Email?.Trim(), language, actor, clock.GetUtcNow());
                return await contacts.ChangeAsync(studyId, change, cancellationToken) switch
                {
                    ContactChangeOutcome.Changed => new EventResult.Applied(
                        eventId,
                        (await queries.GetAsync(studyId, cancellationToken))!
                    ),
                    ContactChangeOutcome.Unchanged => await AlreadyAsync(eventId, studyId, null, cancellationToken),
                    ContactChangeOutcome.NoAddress => Invalid("email", "No e-mail address is on record; give one."),
                    _ => throw new InvalidOperationException("Unknown contact change outcome."),
                };
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                break;
            }
        }
        return new EventResult.Busy(Contention.RetryAfter);
    }

    private async Task<EventResult> AlreadyAsync(
        string eventId,
        string studyId,
        string? note,
        CancellationToken cancellationToken
    ) =>
        await queries.GetAsync(studyId, cancellationToken) is { } record
            ? new EventResult.AlreadyApplied(eventId, record, note)
            : new EventResult.NotFound(studyId);

    private static EventResult.Invalid Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return new EventResult.Invalid(errors.ToDictionary());
    }

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
