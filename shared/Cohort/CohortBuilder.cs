using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Cohort;

/// <summary>
/// Builds the de-identified cohort document from Table Storage for a cut-off date. Reads the patients table only
/// (never the contacts table): one scan that fetches each partition's record and response rows, in key order, so
/// a patient's rows arrive together and are assembled as they stream.
/// </summary>
public sealed class CohortBuilder(PvpStorage storage, IOptions<QuestionnaireOptions> questionnaires, ClinicClock clinic)
{
    /// <summary>The record row and the response rows; waves, events and audit lines are not needed.</summary>
    public const string Filter = "RowKey eq 'patient' or (RowKey ge 'response|' and RowKey lt 'response}')";

    private static readonly string[] Columns =
    [
        "PartitionKey",
        "RowKey",
        "StudyId",
        "Status",
        "Sex",
        "AgeAtProcedure",
        "PrimaryMalignancy",
        "DiagnosisBasis",
        "ProcedureDate",
        "Levels",
        "Complications",
        "LeakageAssessments",
        "DeathDate",
        "WithdrawnDate",
        "Wave",
        "CompletedAt",
        "Eq5d",
        "Odi",
    ];

    public async Task<CohortDocument> BuildAsync(DateOnly cutoff, CancellationToken cancellationToken)
    {
        var patients = new List<CohortPatient>();
        TableEntity? record = null;
        var responses = new List<WaveResponse>();
        await foreach (
            var row in storage.Patients.QueryAsync<TableEntity>(
                Filter,
                maxPerPage: 1000,
                select: Columns,
                cancellationToken: cancellationToken
            )
        )
        {
            if (record is not null && row.PartitionKey != record.PartitionKey)
            {
                Add(record, responses, cutoff, patients);
                record = null;
                responses = [];
            }
            if (row.RowKey == PatientEntities.PatientRow)
                record = row;
            else if (record is not null && row.PartitionKey == record.PartitionKey)
                responses.Add(ResponseEntities.ToResponse(row));
        }
        if (record is not null)
            Add(record, responses, cutoff, patients);

        var q = questionnaires.Value;
        return new CohortDocument(
            CohortDocument.CurrentSchemaVersion,
            cutoff,
            new Eq5dSetting(q.Eq5dVersion, q.Eq5dValueSet),
            patients
        );
    }

    /// <summary>
    /// What the cut-off hides: later procedures, deaths, withdrawals, responses, complications and X-ray
    /// assessments were not known yet, so a day's report can be made again with the same result.
    /// </summary>
    private void Add(TableEntity p, List<WaveResponse> responses, DateOnly cutoff, List<CohortPatient> patients)
    {
        if (p.GetString("Status") != PatientEntities.Active)
            return;
        var procedure = PatientEntities.Date(p.GetString("ProcedureDate"))!.Value;
        if (procedure > cutoff)
            return;
        DateOnly? UpTo(DateOnly? date) => date is { } d && d <= cutoff ? d : null;
        var record = PatientEntities.ToRecord(p, []);
        patients.Add(
            new CohortPatient(
                record.StudyId,
                record.Sex,
                record.AgeAtProcedure,
                record.PrimaryMalignancy,
                record.DiagnosisBasis,
                procedure,
                ClinicalLimits.LevelsKnownOn(record.Levels, PatientEntities.LeakageAssessments(p), cutoff),
                record.Complications.Where(c => c.KnownOn <= cutoff).Select(c => c.ToComplication()).ToList(),
                UpTo(record.DeathDate),
                UpTo(record.WithdrawnDate),
                responses.Where(r => clinic.DateOf(r.CompletedAt) <= cutoff).OrderBy(r => r.Wave).ToList()
            )
        );
    }
}
