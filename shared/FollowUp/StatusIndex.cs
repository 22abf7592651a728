using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// Keeps the status index (<c>FollowUpStatus</c>) and its counts (<c>FollowUpCounts</c>) in step with the waves
/// (docs/storage.md, "FollowUpStatus"). Every writer of a wave row, or of a patient's status, death or withdrawal,
/// calls <see cref="SyncAsync"/> (or <see cref="SyncPatientAsync"/>) after its own transaction;
/// <see cref="FollowUpStore.ChangeAsync"/> does it itself. A sync derives the entry from the rows as they are now,
/// so calling it twice, late, or for a wave that did not change is harmless.
/// </summary>
public sealed class StatusIndex(
    PvpStorage storage,
    Contention contention,
    ClinicClock clinic,
    IOptions<FollowUpOptions> options,
    ILogger<StatusIndex> log
)
{
    /// <summary>What a sync did to the entry.</summary>
    public enum Outcome
    {
        Unchanged,
        Written,
        Removed,
        Busy,
    }

    /// <summary>
    /// Brings one wave's entry, its partition's counts and their copy up to date. The entry is read before the wave
    /// row and written with the entry's ETag, so of two syncs racing the later state wins.
    /// </summary>
    public async Task<Outcome> SyncAsync(
        string studyId,
        Wave wave,
        DateOnly dueDate,
        CancellationToken cancellationToken
    )
    {
        if (!StudyIds.IsValid(studyId))
            return Outcome.Unchanged;
        var partition = StatusIndexKeys.PartitionOf(wave, dueDate);
        var row = StudyIds.Key(studyId);
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            try
            {
                return await TrySyncAsync(studyId, wave, dueDate, partition, row, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex) || Contention.IsUnavailable(ex))
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
        }
        return Outcome.Busy;
    }

    /// <summary>
    /// <see cref="SyncAsync"/> that never throws but for cancellation: the caller's own change is stored already,
    /// and a stale entry is repaired by the scheduler's next look at the wave or by the check.
    /// </summary>
    public async Task TrySyncAsync(string studyId, Wave wave, DateOnly dueDate, CancellationToken cancellationToken)
    {
        try
        {
            if (await SyncAsync(studyId, wave, dueDate, cancellationToken) == Outcome.Busy)
                log.LogWarning("Status index: a {Wave} entry stayed stale after every attempt", wave.Code());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Status index: a {Wave} entry was left stale", wave.Code());
        }
    }

    /// <summary>
    /// Every wave of a patient (after enrolment, a death or a withdrawal); never throws but for cancellation.
    /// </summary>
    public async Task TrySyncPatientAsync(string studyId, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return;
        TableEntity? patient;
        try
        {
            patient = await PointReadAsync(
                storage.Patients,
                PatientEntities.PartitionOf(studyId),
                PatientEntities.PatientRow,
                cancellationToken
            );
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Status index: a patient's entries were left stale");
            return;
        }
        if (PatientEntities.Date(patient?.GetString("ProcedureDate")) is not { } procedure)
            return;
        foreach (var wave in Waves.All)
            await TrySyncAsync(studyId, wave, wave.DueDate(procedure), cancellationToken);
    }

    private async Task<Outcome> TrySyncAsync(
        string studyId,
        Wave wave,
        DateOnly dueDate,
        string partition,
        string row,
        CancellationToken cancellationToken
    )
    {
        var entryRead = PointReadAsync(storage.FollowUpStatus, partition, row, cancellationToken);
        var countsRead = PointReadAsync(
            storage.FollowUpStatus,
            partition,
            StatusIndexKeys.CountsRow,
            cancellationToken
        );
        var (entryRow, countsRow) = (await entryRead, await countsRead);
        // Only now the source rows: whatever changed them before this read is in what we write.
        var patientKey = PatientEntities.PartitionOf(studyId);
        var patientRead = PointReadAsync(storage.Patients, patientKey, PatientEntities.PatientRow, cancellationToken);
        var waveRead = PointReadAsync(
            storage.Patients,
            patientKey,
            PatientEntities.WavePrefix + wave.Code(),
            cancellationToken
        );
        var desired = StatusEntry.Derive(await patientRead, await waveRead, dueDate, options.Value, clinic);
        var current = entryRow is null ? null : StatusEntry.FromEntity(entryRow);
        if (current == desired)
        {
            await CopyCountsAsync(wave, dueDate, countsRow, cancellationToken);
            return Outcome.Unchanged;
        }

        var batch = new List<TableTransactionAction>();
        if (desired is null)
            batch.Add(new(TableTransactionActionType.Delete, entryRow!, entryRow!.ETag));
        else if (entryRow is null)
            batch.Add(new(TableTransactionActionType.Add, desired.ToEntity()));
        else
            batch.Add(new(TableTransactionActionType.UpdateReplace, desired.ToEntity(), entryRow.ETag));

        var newCounts = countsRow;
        if (current?.Cell != desired?.Cell)
        {
            var cells = StatusCells.Parse(countsRow?.GetString("Cells"));
            if (current is not null)
                cells[current.Cell] = cells.GetValueOrDefault(current.Cell) - 1;
            if (desired is not null)
                cells[desired.Cell] = cells.GetValueOrDefault(desired.Cell) + 1;
            newCounts = CountsEntity(partition, cells, (countsRow?.GetInt64("Version") ?? 0) + 1);
            batch.Add(
                countsRow is null
                    ? new(TableTransactionActionType.Add, newCounts)
                    : new(TableTransactionActionType.UpdateReplace, newCounts, countsRow.ETag)
            );
        }
        await storage.FollowUpStatus.SubmitTransactionAsync(batch, cancellationToken);
        await CopyCountsAsync(wave, dueDate, newCounts, cancellationToken);
        return desired is null ? Outcome.Removed : Outcome.Written;
    }

    internal static TableEntity CountsEntity(string partition, IReadOnlyDictionary<string, int> cells, long version) =>
        new(partition, StatusIndexKeys.CountsRow) { ["Cells"] = StatusCells.Format(cells), ["Version"] = version };

    /// <summary>
    /// Copies a partition's counts to <c>FollowUpCounts</c> unless the copy is as new already (higher versions win,
    /// so two syncs copying at once leave the newer; a copy of the same version that differs is replaced).
    /// </summary>
    internal async Task CopyCountsAsync(
        Wave wave,
        DateOnly dueDate,
        TableEntity? counts,
        CancellationToken cancellationToken
    )
    {
        if (counts is null)
            return;
        var version = counts.GetInt64("Version") ?? 0;
        var (pk, rk) = (wave.Code(), Codes.Format(dueDate));
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            var copy = await PointReadAsync(storage.FollowUpCounts, pk, rk, cancellationToken);
            var copied = copy?.GetInt64("Version") ?? -1;
            if (copied > version || (copied == version && copy!.GetString("Cells") == counts.GetString("Cells")))
                return;
            var entity = new TableEntity(pk, rk) { ["Cells"] = counts.GetString("Cells"), ["Version"] = version };
            try
            {
                if (copy is null)
                    await storage.FollowUpCounts.AddEntityAsync(entity, cancellationToken);
                else
                    await storage.FollowUpCounts.UpdateEntityAsync(
                        entity,
                        copy.ETag,
                        TableUpdateMode.Replace,
                        cancellationToken
                    );
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
        }
    }

    internal static async Task<TableEntity?> PointReadAsync(
        TableClient table,
        string partition,
        string row,
        CancellationToken cancellationToken
    )
    {
        var read = await table.GetEntityIfExistsAsync<TableEntity>(
            partition,
            row,
            cancellationToken: cancellationToken
        );
        return read.HasValue ? read.Value : null;
    }
}
