using Azure;
using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// The action index: one partition per clinic day (PartitionKey = yyyy-MM-dd), one row per wave the scheduler must
/// look at that day (RowKey = studyKey|wave): the day its window opens, a reminder is due, or it expires. A
/// scheduler run for day D reads partition D and nothing else (docs/follow-up.md).
/// </summary>
public sealed class ScheduleIndex(PvpStorage storage)
{
    public sealed record DueEntry(DateOnly Day, string StudyId, Wave Wave);

    public static string PartitionOf(DateOnly day) => Codes.Format(day);

    public static string RowOf(string studyId, Wave wave) => $"{StudyIds.Key(studyId)}|{wave.Code()}";

    /// <summary>The filter the scheduler uses: a single PartitionKey equality, so one partition is read.</summary>
    public static string DueOnFilter(DateOnly day) => $"PartitionKey eq {TableKey.Literal(PartitionOf(day))}";

    /// <summary>The index row that asks the scheduler to look at a wave on <paramref name="day"/>.</summary>
    public static TableEntity Entry(string studyId, Wave wave, DateOnly day) =>
        new(PartitionOf(day), RowOf(studyId, wave)) { ["StudyId"] = studyId, ["Wave"] = wave.Code() };

    /// <summary>Idempotent: adds or overwrites the row, so a retry writes the same index.</summary>
    public Task AddAsync(string studyId, Wave wave, DateOnly day, CancellationToken cancellationToken) =>
        storage.Schedule.UpsertEntityAsync(Entry(studyId, wave, day), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Removes a wave's row for <paramref name="day"/>; absent is fine.</summary>
    public async Task RemoveAsync(string studyId, Wave wave, DateOnly day, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Schedule.DeleteEntityAsync(
                PartitionOf(day),
                RowOf(studyId, wave),
                ETag.All,
                cancellationToken
            );
        }
        catch (RequestFailedException ex) when (ex.Status == 404) { }
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
