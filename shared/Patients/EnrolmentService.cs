using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Audit;
using PvpServerless.Contacts;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

public abstract record EnrolmentResult
{
    public sealed record Created(PatientRecord Patient) : EnrolmentResult;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : EnrolmentResult;

    public sealed record Duplicate(string StudyId) : EnrolmentResult;

    /// <summary>Every attempt lost a race for this study id: nothing new was stored, send it again later.</summary>
    public sealed record Busy(TimeSpan RetryAfter) : EnrolmentResult;
}

/// <summary>
/// Enrols a patient. The patient partition (record, waves, audit) is written in one transaction while marked
/// pending; then the due-date index, the pending marker and the contact (other tables); last the record turns
/// active (ETag-guarded) and the marker goes. A failure between those steps leaves a pending record that no query
/// shows: the same request sent again finishes it; once it is older than <see cref="EnrolmentOptions.PendingTimeout"/>
/// a different request for the id rolls it back first (<see cref="PendingEnrolments"/>), so an abandoned request
/// never blocks a study id for good.
/// </summary>
public sealed class EnrolmentService(
    PvpStorage storage,
    EnrolmentValidator validator,
    ScheduleIndex schedule,
    StatusIndex statusIndex,
    ContactStore contacts,
    PatientQueries queries,
    PendingEnrolments pending,
    Contention contention,
    IOptions<EnrolmentOptions> options,
    IOptions<FollowUpOptions> followUp,
    ClinicClock clinic,
    TimeProvider clock
)
{
    public async Task<EnrolmentResult> EnrolAsync(
        EnrolmentRequest? request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (validator.Validate(request, errors) is not { } enrolment)
            return new EnrolmentResult.Invalid(errors.ToDictionary());
        var hash = Hash(enrolment);
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            try
            {
                if (await TryEnrolAsync(enrolment, hash, actor, cancellationToken) is { } result)
                    return result;
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                // Storage is away and the SDK has retried already: 503 now (docs/evidence.md, "Faults").
                break;
            }
            catch (Exception ex) when (Contention.IsLostRace(ex)) { }
            await contention.PauseAsync(attempt, cancellationToken);
        }
        return new EnrolmentResult.Busy(Contention.RetryAfter);
    }

    /// <summary>One attempt; null means "the ground moved, try again".</summary>
    private async Task<EnrolmentResult?> TryEnrolAsync(
        Enrolment enrolment,
        string hash,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var now = clock.GetUtcNow();
        var today = clinic.Today();
        var waves = Waves.All.Select(w => new WaveSchedule(w, w.DueDate(enrolment.ProcedureDate))).ToList();
        var partition = PatientEntities.PartitionOf(enrolment.StudyId);
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.Add, PatientEntities.Patient(enrolment, now, hash)),
            .. waves.Select(w => new TableTransactionAction(
                TableTransactionActionType.Add,
                PatientEntities.Wave(enrolment.StudyId, w, today, followUp.Value)
            )),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(now, actor, "enrolled", Describe(enrolment)).ToEntity(partition)
            ),
        ];
        // A duplicate is refused before anything is written: no pending marker is left behind by a 409.
        var held = await pending.ReadRecordAsync(enrolment.StudyId, cancellationToken);
        if (held is not null && HeldByAnother(held, hash, now))
            return new EnrolmentResult.Duplicate(enrolment.StudyId);
        await pending.MarkAsync(enrolment.StudyId, now, cancellationToken);
        try
        {
            await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            var existing = await pending.ReadRecordAsync(enrolment.StudyId, cancellationToken);
            if (existing is null)
                return null; // rolled back meanwhile: start again
            if (HeldByAnother(existing, hash, now))
            {
                // Enrolled by another request meanwhile: the marker just written is ours alone if it is active.
                if (existing.GetString("Status") == PatientEntities.Active)
                    await pending.DropMarkerAsync(enrolment.StudyId, cancellationToken);
                return new EnrolmentResult.Duplicate(enrolment.StudyId);
            }
            if (existing.GetString("RequestHash") != hash)
            {
                // Another enrolment abandoned it half-way long ago: clear it and try again.
                await pending.RollBackAsync(existing, actor, cancellationToken);
                return null;
            }
            // The very same request (or a concurrent copy of it) left it pending: finish it.
        }

        foreach (var w in waves)
            await schedule.AddAsync(enrolment.StudyId, w.Wave, FirstVisit(w, today), cancellationToken);
        await contacts.SetAsync(enrolment.StudyId, enrolment.Contact, cancellationToken);
        await pending.ActivateAsync(enrolment.StudyId, hash, cancellationToken);
        // Only an active patient is indexed (docs/storage.md, "FollowUpStatus").
        await statusIndex.TrySyncPatientAsync(enrolment.StudyId, cancellationToken);

        var record =
            await queries.GetAsync(enrolment.StudyId, cancellationToken)
            ?? throw new InvalidOperationException($"Patient {enrolment.StudyId} vanished right after enrolment.");
        return new EnrolmentResult.Created(record);
    }

    /// <summary>
    /// Whether the stored record keeps this request from the id: an active patient, or another request's pending one
    /// that is not yet stale (a stale one is rolled back; the same request's pending one is finished).
    /// </summary>
    private bool HeldByAnother(TableEntity existing, string hash, DateTimeOffset now)
    {
        var pendingRecord = existing.GetString("Status") == PatientEntities.Pending;
        if (pendingRecord && existing.GetString("RequestHash") == hash)
            return false;
        var stale = existing.GetDateTimeOffset("EnrolledAt") < now - options.Value.PendingTimeout;
        return !pendingRecord || !stale;
    }

    /// <summary>The scheduler first looks at a wave when its window opens, or today if that has passed.</summary>
    private DateOnly FirstVisit(WaveSchedule w, DateOnly today)
    {
        var opens = WaveWindows.Of(w.Wave, w.DueDate, today, followUp.Value).OpensOn;
        return opens > today ? opens : today;
    }

    // The audit line says what was enrolled, never how to reach the patient.
    private static string Describe(Enrolment e) =>
        JsonSerializer.Serialize(
            new
            {
                e.Sex,
                e.AgeAtProcedure,
                primaryMalignancy = Codes.Of(e.PrimaryMalignancy),
                diagnosisBasis = Codes.Of(e.DiagnosisBasis),
                procedureDate = Codes.Format(e.ProcedureDate),
                levels = e.Levels.Select(l => l.Level),
                complications = e.Complications.Count,
            },
            PatientEntities.Json
        );

    private static string Hash(Enrolment e)
    {
        var clinical = e with { Contact = new Contact("", Language.Da) };
        var json = JsonSerializer.Serialize(clinical, PatientEntities.Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}
