using System.Text.Json;
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
    FollowUp.StatusIndex statusIndex,
    TimeProvider clock
)
{
    public const string Source = "web";

    public static readonly Actor Patient = new("patient");

    /// <summary>
    /// One transaction in the patient's partition: the patient row and the wave row each guarded by the ETag they
    /// were read with, the response added, the audit line added. A death or withdrawal recorded, or another answer
    /// stored, since <paramref name="link"/> was read makes it fail as a whole (412 or 409): nothing is written and the
    /// caller reads again. Then the wave's status-index entry follows (docs/storage.md), from the rows as this
    /// transaction left them: its entry is looked at before the transaction
    /// (<see cref="FollowUp.StatusIndex.TryLookAsync"/>), so neither row needs reading again (docs/survey.md,
    /// "Under load").
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
        var before = await statusIndex.TryLookAsync(studyId, wave, link.Wave.DueDate, cancellationToken);
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
        ];
        await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        // Both rows were guarded by their ETags: as the transaction left them, the patient row is as read (the merge
        // only touched its ETag) and the wave row is as read with the answer.
        await statusIndex.TrySyncAfterAsync(before, patient, Answered(waveRow, now), cancellationToken);
    }

    private static TableEntity Answered(TableEntity waveRow, DateTimeOffset now)
    {
        var row = new TableEntity(waveRow.PartitionKey, waveRow.RowKey);
        foreach (var (key, value) in waveRow)
        {
            if (key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                row[key] = value;
        }
        row["AnsweredAt"] = now;
        row["State"] = "answered";
        return row;
    }
}
