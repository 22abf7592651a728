using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Coordination.Actions;

/// <summary>
/// The body of <c>PUT /api/patients/{studyId}/responses/{wave}</c>: the whole response as it should read (the wave
/// is in the path).
/// </summary>
public sealed record ResponseCorrectionRequest(
    string? CompletedAt,
    IReadOnlyDictionary<string, int?>? Eq5d,
    IReadOnlyList<int?>? Odi
);

/// <summary>A stored response with its scores: the answer of the read and of the correction.</summary>
public sealed record StoredResponse(
    string StudyId,
    WaveResponse Response,
    ResponseScores Scores,
    string? Source,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? CorrectedAt,
    bool Changed
);

/// <summary>
/// Reads one stored response, and corrects a mistyped one: the answers replaced and scored again (the scores kept
/// on the row), the old answers and scores in the audit line, in one transaction guarded by the response row's ETag
/// and the record's (a death recorded meanwhile makes it decide again). A caller's <c>If-Match</c> must name the
/// version it read. The wave's <c>AnsweredAt</c> follows a corrected <c>completedAt</c> through
/// <see cref="FollowUpStore.ChangeAsync"/> (docs/coordination.md, "Responses").
/// </summary>
public sealed class ResponseCorrection(
    PvpStorage storage,
    ResponseService responses,
    FollowUpStore store,
    ValueSet valueSet,
    ClinicClock clinic,
    ActionRetry retry,
    TimeProvider clock
)
{
    public const string Action = "responseCorrected";
    public const string AnsweredAtAction = "answeredAtCorrected";

    public async Task<ActionOutcome> ReadAsync(string studyId, string waveCode, CancellationToken cancellationToken)
    {
        if (!Waves.TryParse(waveCode, out var wave))
            return ActionOutcome.Bad("wave", "baseline, 3m or 1y.");
        var (patient, row) = await ReadRowsAsync(studyId, wave, cancellationToken);
        if (patient is null)
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        return row is null ? NoResponse(studyId, wave) : Stored(patient, row, changed: false);
    }

    public async Task<ActionOutcome> CorrectAsync(
        string studyId,
        string waveCode,
        ResponseCorrectionRequest? request,
        string? ifMatch,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (request is null)
            errors.Add("body", "The body must be a JSON object with completedAt, eq5d and/or odi.");
        else if (!Waves.TryParse(waveCode, out _))
            errors.Add("wave", "baseline, 3m or 1y.");
        var response = errors.IsEmpty
            ? responses.Validate(new ResponseRequest(waveCode, request!.CompletedAt, request.Eq5d, request.Odi), errors)
            : null;
        if (response is null)
            return new ActionOutcome.Invalid(errors.ToDictionary());
        var outcome = await retry.RunAsync(
            c => TryCorrectAsync(studyId, response, ifMatch, actor, c),
            cancellationToken
        );
        if (outcome is not ActionOutcome.Done)
            return outcome;
        // Also on a repeat: a crash between the two transactions left AnsweredAt behind.
        var followed = await retry.RunAsync(c => FollowAsync(studyId, response, actor, c), cancellationToken);
        return followed is ActionOutcome.Busy ? followed : outcome;
    }

    private async Task<ActionOutcome> TryCorrectAsync(
        string studyId,
        WaveResponse response,
        string? ifMatch,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var (patient, row) = await ReadRowsAsync(studyId, response.Wave, cancellationToken);
        if (patient is null)
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        if (row is null)
            return NoResponse(studyId, response.Wave);
        var old = ResponseEntities.ToResponse(row);
        if (ResponseEntities.SameAnswers(old, response))
            return Stored(patient, row, changed: false);
        if (ifMatch is not null && ifMatch != row.ETag.ToString())
        {
            return new ActionOutcome.Stale(
                "The response changed since it was read (If-Match): read it again and correct that; nothing was stored."
            );
        }
        var timing = ResponseRules.CheckTiming(
            response.Wave,
            clinic.DateOf(response.CompletedAt),
            PatientEntities.Date(patient.GetString("ProcedureDate"))!.Value,
            PatientEntities.Date(patient.GetString("DeathDate")),
            PatientEntities.Date(patient.GetString("WithdrawnDate"))
        );
        if (timing is not null)
            return ActionOutcome.Bad("completedAt", timing);

        var now = clock.GetUtcNow();
        var scores = ResponseScores.Of(response, valueSet);
        var corrected = ResponseEntities.WithAnswers(row, response);
        ResponseEntities.SetScores(corrected, scores, valueSet.Name);
        corrected["CorrectedAt"] = now;
        var details = JsonSerializer.Serialize(
            new
            {
                wave = response.Wave.Code(),
                old = Shown(old, ResponseEntities.Scores(row) ?? ResponseScores.Of(old, valueSet)),
                @new = Shown(response, scores),
            },
            PatientEntities.Json
        );
        await storage.Patients.SubmitTransactionAsync(
            [
                // The record's ETag guards the whole write, as for a new response (ResponseService).
                new(
                    TableTransactionActionType.UpdateMerge,
                    new TableEntity(row.PartitionKey, PatientEntities.PatientRow),
                    patient.ETag
                ),
                new(TableTransactionActionType.UpdateReplace, corrected, row.ETag),
                new(
                    TableTransactionActionType.Add,
                    AuditEntry.Of(now, actor, Action, details).ToEntity(row.PartitionKey)
                ),
            ],
            cancellationToken
        );
        var (_, written) = await ReadRowsAsync(studyId, response.Wave, cancellationToken);
        return Stored(patient, written!, changed: true);
    }

    /// <summary>The wave's AnsweredAt is the response's completedAt (ResponseService writes both).</summary>
    private async Task<ActionOutcome> FollowAsync(
        string studyId,
        WaveResponse response,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await store.ReadAsync(studyId, response.Wave, cancellationToken) is not { } context)
            return new ActionOutcome.Done(response, false);
        var answeredAt = context.Row.GetDateTimeOffset("AnsweredAt");
        if (answeredAt == response.CompletedAt)
            return new ActionOutcome.Done(response, false);
        await store.ChangeAsync(
            context,
            new Dictionary<string, object?> { ["AnsweredAt"] = response.CompletedAt },
            actor,
            AnsweredAtAction,
            new { from = answeredAt, to = response.CompletedAt },
            clock.GetUtcNow(),
            cancellationToken
        );
        return new ActionOutcome.Done(response, true);
    }

    private static object Shown(WaveResponse r, ResponseScores scores) =>
        new
        {
            completedAt = r.CompletedAt,
            eq5d = r.Eq5d,
            odi = r.Odi,
            scores,
        };

    private ActionOutcome.Done Stored(TableEntity patient, TableEntity row, bool changed)
    {
        var response = ResponseEntities.ToResponse(row);
        var stored = new StoredResponse(
            patient.GetString("StudyId")!,
            response,
            ResponseEntities.Scores(row) ?? ResponseScores.Of(response, valueSet),
            row.GetString("Source"),
            row.GetDateTimeOffset("ReceivedAt"),
            row.GetDateTimeOffset("CorrectedAt"),
            changed
        );
        return new ActionOutcome.Done(stored, changed, row.ETag.ToString());
    }

    private static ActionOutcome.NotFound NoResponse(string studyId, Wave wave) =>
        new($"No {wave.Code()} response of {studyId} is stored: record one with POST …/responses.");

    /// <summary>
    /// The active record and the wave's response row (null when absent); null record: no such patient.
    /// </summary>
    private async Task<(TableEntity? Patient, TableEntity? Row)> ReadRowsAsync(
        string studyId,
        Wave wave,
        CancellationToken cancellationToken
    )
    {
        if (!StudyIds.IsValid(studyId))
            return (null, null);
        if (await ActivePatients.ReadAsync(storage.Patients, studyId, cancellationToken) is not { } patient)
            return (null, null);
        var row = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            PatientEntities.PartitionOf(studyId),
            PatientEntities.ResponsePrefix + wave.Code(),
            cancellationToken: cancellationToken
        );
        return (patient, row.HasValue ? row.Value : null);
    }
}
