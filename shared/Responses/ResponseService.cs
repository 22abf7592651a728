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
}

/// <summary>
/// Stores one questionnaire response per patient and wave, with the wave marked answered and an audit line, in one
/// transaction in the patient's partition. The first response of a wave stands; the same one sent again is a no-op.
/// </summary>
public sealed class ResponseService(PvpStorage storage, ResponseValidator validator, TimeProvider clock)
{
    public async Task<ResponseResult> StoreAsync(
        string studyId,
        ResponseRequest? request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (request is null)
        {
            errors.Add("body", "The body must be a JSON object with wave, completedAt, eq5d and/or odi.");
            return new ResponseResult.Invalid(errors.ToDictionary());
        }
        if (!Waves.TryParse(request.Wave, out var wave))
            errors.Add("wave", "Required: baseline, 3m or 1y.");
        if (request.CompletedAt is null)
            errors.Add("completedAt", "Required: the instant it was answered, e.g. 2025-06-30T10:00:00Z.");
        else if (request.CompletedAt > clock.GetUtcNow().AddMinutes(5))
            errors.Add("completedAt", "Lies in the future.");
        if (request.Eq5d is null && request.Odi is null)
            errors.Add("eq5d", "Give the EQ-5D answers, the ODI answers, or both.");
        foreach (var e in validator.Validate(request.Eq5d, request.Odi, Language.En))
        {
            errors.Add(e.Field, e.Message);
        }
        if (!errors.IsEmpty)
            return new ResponseResult.Invalid(errors.ToDictionary());

        var response = new WaveResponse(wave, request.CompletedAt!.Value.ToUniversalTime(), request.Eq5d, request.Odi);
        if (!StudyIds.IsValid(studyId))
            return new ResponseResult.NotFound(studyId);
        var partition = PatientEntities.PartitionOf(studyId);
        var patient = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            PatientEntities.PatientRow,
            cancellationToken: cancellationToken
        );
        if (!patient.HasValue || patient.Value!.GetString("Status") != PatientEntities.Active)
            return new ResponseResult.NotFound(studyId);

        var completedOn = DateOnly.FromDateTime(response.CompletedAt.UtcDateTime);
        var procedure = PatientEntities.Date(patient.Value.GetString("ProcedureDate"))!.Value;
        var death = PatientEntities.Date(patient.Value.GetString("DeathDate"));
        // A baseline questionnaire is answered before the procedure; a follow-up one after it.
        if (wave != Wave.Baseline && completedOn < procedure)
            return Invalid("completedAt", $"A follow-up is answered after the procedure ({Codes.Format(procedure)}).");
        if (death is { } d && completedOn > d)
            return Invalid("completedAt", $"Lies after the recorded death ({Codes.Format(d)}).");

        var row = PatientEntities.ResponsePrefix + wave.Code();
        var existing = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            row,
            cancellationToken: cancellationToken
        );
        if (existing.HasValue)
            return Compare(ResponseEntities.ToResponse(existing.Value!), response);

        var now = clock.GetUtcNow();
        List<TableTransactionAction> batch =
        [
            new(
                TableTransactionActionType.Add,
                ResponseEntities.ToEntity(partition, response, source: "coordinator", receivedAt: now)
            ),
            new(
                TableTransactionActionType.UpsertMerge,
                new TableEntity(partition, PatientEntities.WavePrefix + wave.Code())
                {
                    ["AnsweredAt"] = response.CompletedAt,
                }
            ),
            new(
                TableTransactionActionType.Add,
                AuditEntry
                    .Of(
                        now,
                        actor,
                        "response",
                        JsonSerializer.Serialize(
                            new { wave = wave.Code(), completedAt = response.CompletedAt },
                            PatientEntities.Json
                        )
                    )
                    .ToEntity(partition)
            ),
        ];
        try
        {
            await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // Stored by a concurrent request meanwhile: the first one stands.
            var now409 = await storage.Patients.GetEntityAsync<TableEntity>(
                partition,
                row,
                cancellationToken: cancellationToken
            );
            return Compare(ResponseEntities.ToResponse(now409.Value), response);
        }
        return new ResponseResult.Stored(response);
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
