using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Responses;

namespace PvpServerless.Patients;

/// <summary>
/// The rows of one patient partition (docs/storage.md) for a patient whose history is already known, as enrolment,
/// events and responses would have left them: the active record with its death or withdrawal date, the waves, the
/// responses and one audit line. The public seam for tools that write a cohort straight into storage (load tests,
/// benchmarks), so that the row format stays here beside the code that reads it.
/// </summary>
public static class PatientRows
{
    public static string PartitionOf(string studyId) => PatientEntities.PartitionOf(studyId);

    /// <param name="actor">Recorded as the audit line's actor, the responses' source and the request hash.</param>
    /// <param name="action">The audit line's action.</param>
    /// <param name="knownBy">The document's cut-off: its X-ray findings were known by then (see
    /// LeakageAssessments).</param>
    public static IReadOnlyList<TableEntity> Of(
        CohortPatient p,
        DateTimeOffset at,
        Actor actor,
        string action,
        DateOnly knownBy
    )
    {
        var partition = PartitionOf(p.StudyId);
        var enrolment = new Enrolment(
            p.StudyId,
            p.Sex,
            p.AgeAtProcedure,
            p.PrimaryMalignancy,
            p.DiagnosisBasis,
            p.ProcedureDate,
            p.Levels,
            p.Complications,
            new Contact("", Language.Da)
        );
        var record = PatientEntities.Patient(enrolment, at, requestHash: actor.Key);
        record["Status"] = PatientEntities.Active;
        if (p.DeathDate is { } death)
            record["DeathDate"] = Codes.Format(death);
        if (p.WithdrawnDate is { } withdrawn)
            record["WithdrawnDate"] = Codes.Format(withdrawn);
        record["LeakageAssessments"] = System.Text.Json.JsonSerializer.Serialize(
            LeakageAssessments(p, knownBy),
            PatientEntities.Json
        );
        return
        [
            record,
            .. Waves.All.Select(w => Wave(p, w)),
            .. p.Responses.Select(r => ResponseEntities.ToEntity(partition, r, actor.Key, at)),
            AuditEntry.Of(at, actor, action, "{}").ToEntity(partition),
        ];
    }

    // A wave with a response is answered, as a response typed in would leave it (shared/Responses/ResponseService.cs).
    private static TableEntity Wave(CohortPatient p, Wave w)
    {
        var row = PatientEntities.Wave(p.StudyId, new WaveSchedule(w, w.DueDate(p.ProcedureDate)));
        if (p.Responses.FirstOrDefault(r => r.Wave == w) is { } answer)
        {
            row["AnsweredAt"] = answer.CompletedAt;
            row["State"] = "answered";
        }
        return row;
    }

    /// <summary>
    /// The X-ray findings of a cohort document's patient as one assessment, dated at the three-month X-ray or the
    /// document's cut-off, whichever is earlier: the document says they were known by its cut-off.
    /// </summary>
    public static IReadOnlyList<LeakageAssessment> LeakageAssessments(CohortPatient p, DateOnly cutoff)
    {
        var assessed = p.Levels.Where(l => l.CementLeakage is not null).ToList();
        if (assessed.Count == 0)
            return [];
        var threeMonths = p.ProcedureDate.AddMonths(3);
        var day = threeMonths < cutoff ? threeMonths : cutoff;
        var levels = assessed.Select(l => new LevelLeakage(l.Level, l.CementLeakage!.Value, l.LeakageSymptomatic));
        return [new LeakageAssessment(day, levels.ToList())];
    }
}
