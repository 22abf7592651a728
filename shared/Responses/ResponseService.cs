using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Storage;

namespace PvpServerless.Responses;

public abstract record ResponseResult
{
    public sealed record Stored(WaveResponse Response) : ResponseResult;

    /// <summary>The very same response was stored before: nothing changed.</summary>
    public sealed record AlreadyStored(WaveResponse Response) : ResponseResult;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : ResponseResult;

    public sealed record NotFound(string StudyId) : ResponseResult;

    /// <summary>A different response for that wave is already stored.</summary>
    public sealed record Conflict(string Message) : ResponseResult;

    /// <summary>Every attempt lost a race for the record: nothing was stored, send it again later.</summary>
    public sealed record Busy(TimeSpan RetryAfter) : ResponseResult;
}

/// <summary>
/// Stores one questionnaire response per patient and wave, with the wave marked answered and an audit line, in one
/// transaction in the patient's partition. The first response of a wave stands; the same one sent again is a no-op.
/// </summary>
public sealed class ResponseService(
    PvpStorage storage,
    ResponseValidator validator,
    ValueSet valueSet,
    FollowUp.StatusIndex statusIndex,
    Contention contention,
    ClinicClock clinic,
    TimeProvider clock
)
{
    public async Task<ResponseResult> StoreAsync(
        string studyId,
        ResponseRequest? request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (Validate(request, errors) is not { } response)
            return new ResponseResult.Invalid(errors.ToDictionary());
        if (!StudyIds.IsValid(studyId))
            return new ResponseResult.NotFound(studyId);
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            try
            {
                return await TryStoreAsync(studyId, response, actor, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                // Storage is away and the SDK has retried already: 503 now (docs/evidence.md, "Faults").
                break;
            }
        }
        return new ResponseResult.Busy(Contention.RetryAfter);
    }

    /// <summary>
    /// The response the request describes, or null with every problem named in <paramref name="errors"/>.
    /// </summary>
    internal WaveResponse? Validate(ResponseRequest? request, FieldErrors errors)
    {
        if (request is null)
        {
            errors.Add("body", "The body must be a JSON object with wave, completedAt, eq5d and/or odi.");
            return null;
        }
        if (!Waves.TryParse(request.Wave, out var wave))
            errors.Add("wave", "Required: baseline, 3m or 1y.");
        if (!ResponseRules.TryParseInstant(request.CompletedAt, out var completedAt))
        {
            errors.Add(
                "completedAt",
                "Required: the instant it was answered, with its offset, e.g. 2025-06-30T10:00:00+02:00."
            );
        }
        else if (completedAt > clock.GetUtcNow().AddMinutes(5))
            errors.Add("completedAt", "Lies in the future.");
        if (request.Eq5d is null && request.Odi is null)
            errors.Add("eq5d", "Give the EQ-5D answers, the ODI answers, or both.");
        var eq5d = request.Eq5d is null ? null : ResponseRules.ReadEq5d(request.Eq5d, errors);
        if (request.Odi?.Count > 20)
            errors.Add("odi", "The ODI has 10 sections.");
        else
        {
            foreach (var e in validator.Validate(eq5d, request.Odi, Language.En))
                errors.Add(e.Field, e.Message);
        }
        return errors.IsEmpty ? new WaveResponse(wave, completedAt.ToUniversalTime(), eq5d, request.Odi) : null;
    }

    private async Task<ResponseResult> TryStoreAsync(
        string studyId,
        WaveResponse response,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await ActivePatients.ReadAsync(storage.Patients, studyId, cancellationToken) is not { } patient)
            return new ResponseResult.NotFound(studyId);
        var partition = PatientEntities.PartitionOf(studyId);

        var timing = ResponseRules.CheckTiming(
            response.Wave,
            clinic.DateOf(response.CompletedAt),
            PatientEntities.Date(patient.GetString("ProcedureDate"))!.Value,
            PatientEntities.Date(patient.GetString("DeathDate")),
            PatientEntities.Date(patient.GetString("WithdrawnDate"))
        );
        if (timing is not null)
            return Invalid("completedAt", timing);

        var row = PatientEntities.ResponsePrefix + response.Wave.Code();
        var existing = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            row,
            cancellationToken: cancellationToken
        );
        var procedure = PatientEntities.Date(patient.GetString("ProcedureDate"))!.Value;
        if (existing.HasValue)
        {
            // A retry may follow a crash between the response's write and the index's: sync again.
            await statusIndex.TrySyncAsync(studyId, response.Wave, response.Wave.DueDate(procedure), cancellationToken);
            return Compare(ResponseEntities.ToResponse(existing.Value!), response);
        }

        var now = clock.GetUtcNow();
        var audit = JsonSerializer.Serialize(
            new { wave = response.Wave.Code(), completedAt = response.CompletedAt },
            PatientEntities.Json
        );
        // The record's ETag guards the whole write: a death or withdrawal recorded meanwhile makes it start again
        // and decide against the new record.
        List<TableTransactionAction> batch =
        [
            new(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(partition, PatientEntities.PatientRow),
                patient.ETag
            ),
            new(
                TableTransactionActionType.Add,
                Scored(ResponseEntities.ToEntity(partition, response, source: "coordinator", receivedAt: now), response)
            ),
            new(
                TableTransactionActionType.UpsertMerge,
                new TableEntity(partition, PatientEntities.WavePrefix + response.Wave.Code())
                {
                    ["AnsweredAt"] = response.CompletedAt,
                    ["State"] = "answered",
                }
            ),
            new(TableTransactionActionType.Add, AuditEntry.Of(now, actor, "response", audit).ToEntity(partition)),
        ];
        await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        await statusIndex.TrySyncAsync(studyId, response.Wave, response.Wave.DueDate(procedure), cancellationToken);
        return new ResponseResult.Stored(response);
    }

    private TableEntity Scored(TableEntity row, WaveResponse response)
    {
        ResponseEntities.SetScores(row, ResponseScores.Of(response, valueSet), valueSet.Name);
        return row;
    }

    private static ResponseResult Compare(WaveResponse stored, WaveResponse sent) =>
        ResponseEntities.SameAnswers(stored, sent)
            ? new ResponseResult.AlreadyStored(stored)
            : new ResponseResult.Conflict(
                $"A different {stored.Wave.Code()} response is already stored (completed {stored.CompletedAt:O})."
            );

    private static ResponseResult.Invalid Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return new ResponseResult.Invalid(errors.ToDictionary());
    }
}
