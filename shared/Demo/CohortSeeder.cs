using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Demo;

/// <summary>
/// Writes a cohort document straight into Table Storage, each patient's partition (record, waves, responses, an audit
/// line) in one transaction and the due-date index in transactions of up to 100 rows per day, several at a time.
/// For load tests and benchmarks: synthetic patients get no contact row, so they can never be e-mailed.
/// </summary>
public sealed class CohortSeeder(PvpStorage storage, TimeProvider clock)
{
    /// <summary>Table Storage's limit, which Azurite does not enforce (it garbles larger replies): ours to keep.</summary>
    public const int MaxBatch = 100;

    public async Task<int> SeedAsync(
        CohortDocument cohort,
        int parallelism,
        Action<int>? progress,
        CancellationToken cancellationToken
    )
    {
        var now = clock.GetUtcNow();
        var actor = new Actor("seed");
        var written = 0;
        await Parallel.ForEachAsync(
            cohort.Patients,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (p, ct) =>
            {
                var partition = PatientEntities.PartitionOf(p.StudyId);
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
                var record = PatientEntities.Patient(enrolment, now, requestHash: "seed");
                record["Status"] = PatientEntities.Active;
                if (p.DeathDate is { } death)
                    record["DeathDate"] = Codes.Format(death);
                if (p.WithdrawnDate is { } withdrawn)
                    record["WithdrawnDate"] = Codes.Format(withdrawn);
                record["LeakageAssessments"] = JsonSerializer.Serialize(
                    LeakageAssessments(p, cohort.CutoffDate),
                    PatientEntities.Json
                );
                List<TableTransactionAction> batch =
                [
                    new(TableTransactionActionType.Add, record),
                    .. Waves.All.Select(w => new TableTransactionAction(
                        TableTransactionActionType.Add,
                        PatientEntities.Wave(p.StudyId, new WaveSchedule(w, w.DueDate(p.ProcedureDate)))
                    )),
                    .. p.Responses.Select(r => new TableTransactionAction(
                        TableTransactionActionType.Add,
                        ResponseEntities.ToEntity(partition, r, "seed", now)
                    )),
                    new(TableTransactionActionType.Add, AuditEntry.Of(now, actor, "seeded", "{}").ToEntity(partition)),
                ];
                try
                {
                    await storage.Patients.SubmitTransactionAsync(batch, ct);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 409)
                {
                    // Seeded before: replace it. (Add first: an upsert costs Azurite an extra lookup per row.)
                    await storage.Patients.SubmitTransactionAsync(
                        batch.Select(a => new TableTransactionAction(
                            TableTransactionActionType.UpsertReplace,
                            a.Entity
                        )),
                        ct
                    );
                }
                var done = Interlocked.Increment(ref written);
                if (done % 1000 == 0)
                    progress?.Invoke(done);
            }
        );

        var index = cohort
            .Patients.SelectMany(p =>
                Waves.All.Select(w => new TableEntity(
                    ScheduleIndex.PartitionOf(w.DueDate(p.ProcedureDate)),
                    ScheduleIndex.RowOf(p.StudyId, w)
                )
                {
                    ["StudyId"] = p.StudyId,
                    ["Wave"] = w.Code(),
                })
            )
            .GroupBy(e => e.PartitionKey)
            .SelectMany(day => day.Chunk(MaxBatch));
        await Parallel.ForEachAsync(
            index,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (chunk, ct) =>
                await storage.Schedule.SubmitTransactionAsync(
                    chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)),
                    ct
                )
        );
        return written;
    }

    /// <summary>
    /// The X-ray findings of a cohort document as one assessment, dated at the three-month X-ray or the cut-off,
    /// whichever is earlier: the document says they were known by its cut-off.
    /// </summary>
    public static IReadOnlyList<LeakageAssessment> LeakageAssessments(CohortPatient p, DateOnly cutoff)
    {
        var assessed = p.Levels.Where(l => l.CementLeakage is not null).ToList();
        if (assessed.Count == 0)
            return [];
        var day = p.ProcedureDate.AddMonths(3) < cutoff ? p.ProcedureDate.AddMonths(3) : cutoff;
        return [new LeakageAssessment(day, assessed.Select(l => new LevelLeakage(l.Level, l.CementLeakage!.Value, l.LeakageSymptomatic)).ToList())];
    }
}
