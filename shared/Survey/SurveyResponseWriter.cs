using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Survey;

/// <summary>
/// Stores a web answer as a paper response is stored (the same <c>response|{wave}</c> row, the wave's
/// <c>AnsweredAt</c>, an audit line), with source <c>web</c> and what a later reader needs to trust it: the language
/// it was answered in, the instruments and their wording, the value set and the scores computed at the time.
/// </summary>
public sealed class SurveyResponseWriter(
    PvpStorage storage,
    ResponseValidator validator,
    ValueSet valueSet,
    FollowUp.StatusIndexBacklog backlog,
    TimeProvider clock
)
{
    public const string Source = "web";

    public static readonly Actor Patient = new("patient");

    /// <summary>
    /// One transaction in the patient's partition: the patient row and the wave row each guarded by the ETag they
    /// were read with, the response added, the audit line added. A death or withdrawal recorded, or another answer
    /// stored, since <paramref name="link"/> was read makes it fail as a whole (412 or 409): nothing is written and the
    /// caller reads again. The wave's status-index entry follows off the post's path: the transaction also writes the
    /// wave's pending row, and the backlog syncs the entry and then removes that row (docs/storage.md, "Index
    /// pending"; docs/survey.md, "Under load").
    /// </summary>
    public async Task WriteAsync(
        SurveyLink link,
        ParsedResponse answers,
        Language language,
        CancellationToken cancellationToken
    )
    {
        var (patient, waveRow, wave) = (link.Patient!, link.WaveRow!, link.Wave!.Wave);
        var studyId = patient.GetString("StudyId")!;
        var now = clock.GetUtcNow();
        var response = new WaveResponse(wave, now, answers.Eq5d, answers.Odi);
        var scores = ResponseScores.Of(response, valueSet);
        var row = ResponseEntities.ToEntity(patient.PartitionKey, response, Source, receivedAt: now);
        row["Language"] = Codes.Of(language);
        row["Eq5dInstrument"] = validator.Eq5dInstrument.Id;
        row["OdiInstrument"] = validator.OdiInstrument.Id;
        row["Wording"] = Codes.Of(validator.Eq5dInstrument.Wording) + "," + Codes.Of(validator.OdiInstrument.Wording);
        row["ValueSet"] = valueSet.Name;
        row["Eq5dIndex"] = scores.Eq5dIndex;
        row["EqVas"] = scores.EqVas;
        row["OdiScore"] = scores.Odi;
        row["OdiPain"] = scores.Pain;
        var audit = JsonSerializer.Serialize(
            new
            {
                wave = wave.Code(),
                completedAt = now,
                source = Source,
            },
            PatientEntities.Json
        );
        List<TableTransactionAction> batch =
        [
            new(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(patient.PartitionKey, patient.RowKey),
                patient.ETag
            ),
            new(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(waveRow.PartitionKey, waveRow.RowKey) { ["AnsweredAt"] = now, ["State"] = "answered" },
                waveRow.ETag
            ),
            new(TableTransactionActionType.Add, row),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(now, Patient, "response", audit).ToEntity(patient.PartitionKey)
            ),
            // Last, so its answer carries the pending row's ETag.
            new(
                TableTransactionActionType.UpsertReplace,
                FollowUp.StatusIndexBacklog.PendingRow(studyId, wave, link.Wave.DueDate, now)
            ),
        ];
        var stored = await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        var marker = stored.Value.Count == batch.Count ? stored.Value[^1].Headers.ETag : null;
        backlog.Add(new FollowUp.PendingSync(studyId, wave, link.Wave.DueDate, marker ?? ETag.All));
    }
}
