using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// The due-date index: one partition per calendar day (PartitionKey = yyyy-MM-dd), one row per wave due that
/// day (RowKey = studyId|wave). A scheduler run for day D reads partition D and nothing else.
/// </summary>
public sealed class ScheduleIndex(PvpStorage storage)
{
    public sealed record DueEntry(DateOnly Day, string StudyId, Wave Wave);

    public static string PartitionOf(DateOnly day) => Codes.Format(day);

    public static string RowOf(string studyId, Wave wave) => $"{TableKey.Escape(studyId)}|{wave.Code()}";

    /// <summary>The filter the scheduler uses: a single PartitionKey equality, so one partition is read.</summary>
    public static string DueOnFilter(DateOnly day) => $"PartitionKey eq {TableKey.Literal(PartitionOf(day))}";

    /// <summary>The index row of one wave (public for tools that write a cohort straight into storage).</summary>
    public static TableEntity Entry(string studyId, WaveSchedule wave) =>
        new(PartitionOf(wave.DueDate), RowOf(studyId, wave.Wave))
        {
            ["StudyId"] = studyId,
            ["Wave"] = wave.Wave.Code(),
        };

    /// <summary>Idempotent: adds or overwrites the rows, so a retried enrolment writes the same index.</summary>
    public async Task AddAsync(string studyId, IEnumerable<WaveSchedule> waves, CancellationToken cancellationToken)
    {
        // Each day is its own partition, so each row is its own write; three waves, three small upserts.
        var writes = waves.Select(w =>
            storage.Schedule.UpsertEntityAsync(Entry(studyId, w), TableUpdateMode.Replace, cancellationToken)
        );
        await Task.WhenAll(writes);
    }

    /// <summary>Every wave due on <paramref name="day"/>, read from that day's partition only.</summary>
    public async IAsyncEnumerable<DueEntry> DueOnAsync(
        DateOnly day,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        await foreach (
            var e in storage.Schedule.QueryAsync<TableEntity>(DueOnFilter(day), cancellationToken: cancellationToken)
        )
        {
            if (Waves.TryParse(e.GetString("Wave"), out var wave))
            {
                yield return new DueEntry(day, e.GetString("StudyId")!, wave);
            }
        }
    }
}
