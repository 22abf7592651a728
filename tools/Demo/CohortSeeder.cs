using Azure.Data.Tables;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
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

    /// <param name="progress">Called with the number of patients written so far, from several threads at once.</param>
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
                List<TableTransactionAction> batch =
                [
                    .. PatientRows
                        .Of(p, now, actor, "seeded", cohort.CutoffDate)
                        .Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)),
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
                progress?.Invoke(done);
            }
        );

        var index = cohort
            .Patients.SelectMany(p =>
                Waves.All.Select(w => ScheduleIndex.Entry(p.StudyId, w, w.DueDate(p.ProcedureDate)))
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
}
