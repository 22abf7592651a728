using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Audit;
using PvpServerless.Contacts;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

/// <summary>
/// Enrolments that were started and not finished. A marker row (Schedule table, partition <c>pending</c>, RowKey =
/// study key) is written before the patient partition and removed when the record turns active, so finding the
/// unfinished ones reads one small partition, never the patients. A stale one (older than
/// <see cref="EnrolmentOptions.PendingTimeout"/>) is rolled back: its index rows, contact, waves and record go,
/// and an audit line says so (docs/storage.md, "Enrolment without half-writes").
/// </summary>
public sealed class PendingEnrolments(
    PvpStorage storage,
    ContactStore contacts,
    ScheduleIndex index,
    IOptions<EnrolmentOptions> options,
    IOptions<FollowUpOptions> followUp,
    Domain.ClinicClock clinic,
    TimeProvider clock
)
{
    public const string MarkerPartition = "pending";

    public Task MarkAsync(string studyId, DateTimeOffset at, CancellationToken cancellationToken) =>
        storage.Schedule.UpsertEntityAsync(
            new TableEntity(MarkerPartition, StudyIds.Key(studyId)) { ["StudyId"] = studyId, ["At"] = at },
            TableUpdateMode.Replace,
            cancellationToken
        );

    public async Task<TableEntity?> ReadRecordAsync(string studyId, CancellationToken cancellationToken)
    {
        var row = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            PatientEntities.PartitionOf(studyId),
            PatientEntities.PatientRow,
            cancellationToken: cancellationToken
        );
        return row.HasValue ? row.Value : null;
    }

    /// <summary>
    /// Turns the pending record active (ETag-guarded) and drops the marker. Already active by the same request is
    /// fine (a concurrent copy finished first); anything else throws a 412 so the caller starts again.
    /// </summary>
    public async Task ActivateAsync(string studyId, string requestHash, CancellationToken cancellationToken)
    {
        var record = await ReadRecordAsync(studyId, cancellationToken);
        if (record is null || record.GetString("RequestHash") != requestHash)
            throw new RequestFailedException(412, "The pending enrolment changed hands.");
        if (record.GetString("Status") == PatientEntities.Pending)
        {
            await storage.Patients.UpdateEntityAsync(
                new TableEntity(record.PartitionKey, PatientEntities.PatientRow)
                {
                    ["Status"] = PatientEntities.Active,
                },
                record.ETag,
                TableUpdateMode.Merge,
                cancellationToken
            );
        }
        await DropMarkerAsync(studyId, cancellationToken);
    }

    /// <summary>
    /// Rolls back a pending record: index rows and contact first, then waves and record in one transaction guarded
    /// by the record's ETag (with an audit line), last the marker. Every step is idempotent, so a crash part-way is
    /// mended by the next attempt. Throws 412 when the record changed meanwhile (someone finished it).
    /// </summary>
    public async Task RollBackAsync(TableEntity record, Patients.Actor actor, CancellationToken cancellationToken)
    {
        var studyId = record.GetString("StudyId")!;
        var procedure = PatientEntities.Date(record.GetString("ProcedureDate"))!.Value;
        // The index rows enrolment wrote: each wave's opening day, or the enrolment day if that was later.
        var enrolledOn = clinic.DateOf(record.GetDateTimeOffset("EnrolledAt") ?? clock.GetUtcNow());
        foreach (var wave in Domain.Waves.All)
        {
            var opens = WaveWindows.Of(wave, Domain.Waves.DueDate(wave, procedure), enrolledOn, followUp.Value).OpensOn;
            await index.RemoveAsync(studyId, wave, opens > enrolledOn ? opens : enrolledOn, cancellationToken);
        }
        await IgnoreMissing(contacts.DeleteAsync(studyId, cancellationToken));
        var now = clock.GetUtcNow();
        var details = JsonSerializer.Serialize(new { enrolledAt = record.GetDateTimeOffset("EnrolledAt") });
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.Delete, record, record.ETag),
            .. Domain.Waves.All.Select(w => new TableTransactionAction(
                TableTransactionActionType.Delete,
                new TableEntity(record.PartitionKey, PatientEntities.WavePrefix + Domain.Waves.Code(w)),
                ETag.All
            )),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(now, actor, "enrolmentRolledBack", details).ToEntity(record.PartitionKey)
            ),
        ];
        await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        await DropMarkerAsync(studyId, cancellationToken);
    }

    /// <summary>
    /// Rolls back every pending enrolment older than the timeout; returns how many. The scheduler calls this on
    /// each run, so an abandoned request is cleared even if nobody sends another for its study id.
    /// </summary>
    public async Task<int> SweepAsync(Patients.Actor actor, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.PendingTimeout;
        var cleared = 0;
        var filter = $"PartitionKey eq '{MarkerPartition}'";
        await foreach (
            var marker in storage.Schedule.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)
        )
        {
            if (marker.GetDateTimeOffset("At") is not { } at || at > cutoff)
                continue;
            var studyId = marker.GetString("StudyId")!;
            var record = await ReadRecordAsync(studyId, cancellationToken);
            try
            {
                if (
                    record?.GetString("Status") == PatientEntities.Pending
                    && record.GetDateTimeOffset("EnrolledAt") <= cutoff
                )
                {
                    await RollBackAsync(record, actor, cancellationToken);
                    cleared++;
                }
                else if (record is null || record.GetString("Status") == PatientEntities.Active)
                {
                    await DropMarkerAsync(studyId, cancellationToken); // finished, or never got as far as a record
                }
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                // Finished or rolled back by a request at the same moment: the next sweep sees how it ended.
            }
        }
        return cleared;
    }

    /// <summary>Removes the pending marker of <paramref name="studyId"/>; absent is fine.</summary>
    public Task DropMarkerAsync(string studyId, CancellationToken cancellationToken) =>
        IgnoreMissing(
            storage.Schedule.DeleteEntityAsync(MarkerPartition, StudyIds.Key(studyId), ETag.All, cancellationToken)
        );

    private static async Task IgnoreMissing(Task delete)
    {
        try
        {
            await delete;
        }
        catch (RequestFailedException ex) when (ex.Status == 404) { }
    }
}
