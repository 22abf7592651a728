using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Cohort;
using PvpServerless.Contacts;
using PvpServerless.Domain;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

public abstract record EventResult
{
    public sealed record Applied(string EventId, PatientRecord Patient) : EventResult;

    /// <summary>The same event was recorded before: nothing changed (a retry is safe).</summary>
    public sealed record AlreadyApplied(string EventId, PatientRecord Patient) : EventResult;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : EventResult;

    public sealed record NotFound(string StudyId) : EventResult;

    /// <summary>The event contradicts what is recorded (e.g. a second, different death date).</summary>
    public sealed record Conflict(string Field, string Message) : EventResult;
}

/// <summary>
/// Records death, withdrawal, the three-month leakage assessment, complications and contact changes. Each event
/// is written with the patient's updated record and an audit line in one transaction guarded by the record's ETag,
/// and is keyed by its id, so sending it twice changes nothing the second time.
/// </summary>
public sealed class PatientEventService(
    PvpStorage storage,
    ContactStore contacts,
    PatientQueries queries,
    TimeProvider clock
)
{
    private const int Attempts = 5;

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
        var partition = PatientEntities.PartitionOf(studyId);
        var eventId = EventId(request!);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
                partition,
                PatientEntities.PatientRow,
                cancellationToken: cancellationToken
            );
            if (!stored.HasValue || stored.Value!.GetString("Status") != PatientEntities.Active)
                return new EventResult.NotFound(studyId);
            var patient = stored.Value;

            var previous = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
                partition,
                PatientEntities.EventPrefix + eventId,
                cancellationToken: cancellationToken
            );
            if (previous.HasValue)
                return await Already(eventId, studyId, cancellationToken);

            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var outcome = PatientEvents.Apply(request!, patient, today);
            switch (outcome)
            {
                case PatientEvents.Outcome.Rejected r:
                    return r.IsConflict ? new EventResult.Conflict(r.Field, r.Message) : Invalid(r.Field, r.Message);
                case PatientEvents.Outcome.Unchanged:
                    return await Already(eventId, studyId, cancellationToken);
            }
            var change = (PatientEvents.Outcome.Changed)outcome;

            if (request!.Type == PatientEvents.ContactChange)
            {
                var current = await contacts.GetAsync(studyId, cancellationToken);
                var email = request.Email?.Trim() ?? current?.Email;
                var language =
                    request.Language is { } l && Codes.TryParse<Language>(l, out var parsed)
                        ? parsed
                        : current?.Language ?? Language.Da;
                if (email is null)
                    return Invalid("email", "No e-mail address is on record; give one.");
                var contact = new Contact(email, language);
                if (contact == current)
                    return await Already(eventId, studyId, cancellationToken);
                await contacts.SetAsync(studyId, contact, cancellationToken);
            }

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
                    }
                ),
                new(
                    TableTransactionActionType.Add,
                    AuditEntry.Of(now, actor, request.Type!, change.AuditDetails).ToEntity(partition)
                ),
            ];
            try
            {
                await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < Attempts)
            {
                // Someone changed the record (412) or recorded this very event (409) meanwhile: read again and decide again.
                continue;
            }
            var record =
                await queries.GetAsync(studyId, cancellationToken)
                ?? throw new InvalidOperationException($"Patient {studyId} vanished.");
            return new EventResult.Applied(eventId, record);
        }
    }

    private async Task<EventResult> Already(string eventId, string studyId, CancellationToken cancellationToken) =>
        await queries.GetAsync(studyId, cancellationToken) is { } record
            ? new EventResult.AlreadyApplied(eventId, record)
            : new EventResult.NotFound(studyId);

    private static EventResult.Invalid Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return new EventResult.Invalid(errors.ToDictionary());
    }

    /// <summary>
    /// The client's id, or one derived from the content, so the same event sent twice has one id. A contact change
    /// is never hashed (a hash of an address still finds a person): it gets a fresh id and is idempotent by effect,
    /// since setting the contact it already has changes nothing.
    /// </summary>
    internal static string EventId(PatientEventRequest request)
    {
        if (request.Id is { } id)
            return id;
        if (request.Type == PatientEvents.ContactChange)
            return Guid.NewGuid().ToString("N");
        var content = JsonSerializer.Serialize(request, PatientEntities.Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..32];
    }
}
