using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
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
}

/// <summary>
/// Enrols a patient. The patient partition (record, waves, audit) is written in one transaction while marked
/// pending; then the due-date index and the contact (other tables) are written; last the record turns active.
/// A failure between those steps leaves a pending record that no query shows, and the same request sent again
/// resumes where it stopped, so nothing is ever half-visible.
/// </summary>
public sealed class EnrolmentService(
    PvpStorage storage,
    EnrolmentValidator validator,
    ScheduleIndex schedule,
    ContactStore contacts,
    PatientQueries queries,
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

        var now = clock.GetUtcNow();
        var hash = Hash(enrolment);
        var waves = Waves.All.Select(w => new WaveSchedule(w, w.DueDate(enrolment.ProcedureDate))).ToList();
        var partition = PatientEntities.PartitionOf(enrolment.StudyId);

        var patient = PatientEntities.Patient(enrolment, now, hash);
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.Add, patient),
            .. waves.Select(w => new TableTransactionAction(
                TableTransactionActionType.Add,
                PatientEntities.Wave(enrolment.StudyId, w)
            )),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(now, actor, "enrolled", Describe(enrolment)).ToEntity(partition)
            ),
        ];
        ETag etag;
        try
        {
            var response = await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
            etag = response.Value[0].Headers.ETag ?? ETag.All;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            var existing = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
                partition,
                PatientEntities.PatientRow,
                cancellationToken: cancellationToken
            );
            // Only the very same request may finish an enrolment that an earlier attempt left pending.
            if (
                !existing.HasValue
                || existing.Value!.GetString("Status") != PatientEntities.Pending
                || existing.Value.GetString("RequestHash") != hash
            )
            {
                return new EnrolmentResult.Duplicate(enrolment.StudyId);
            }
            etag = existing.Value.ETag;
        }

        await schedule.AddAsync(enrolment.StudyId, waves, cancellationToken);
        await contacts.SetAsync(enrolment.StudyId, enrolment.Contact, cancellationToken);
        await storage.Patients.UpdateEntityAsync(
            new TableEntity(partition, PatientEntities.PatientRow) { ["Status"] = PatientEntities.Active },
            etag,
            TableUpdateMode.Merge,
            cancellationToken
        );

        var record =
            await queries.GetAsync(enrolment.StudyId, cancellationToken)
            ?? throw new InvalidOperationException($"Patient {enrolment.StudyId} vanished right after enrolment.");
        return new EnrolmentResult.Created(record);
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
