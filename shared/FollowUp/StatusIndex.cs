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
    StatusCopy copies,
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
    /// A wave's entry and its shard's counts as read at one moment (null rows: not there yet), with their ETags: read
    /// before the wave's rows, so what is written from those rows is not older than what it replaces.
    /// </summary>
    private sealed record Look(string StudyId, Wave Wave, DateOnly DueDate, TableEntity? Entry, TableEntity? Counts);

    /// <summary>
    /// Brings one wave's entry, its shard's counts and their copy up to date. The entry is read before the wave
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
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            try
            {
                var look = await ReadLookAsync(studyId, wave, dueDate, cancellationToken);
                // Only now the source rows: whatever changed them before this read is in what we write.
                var patientKey = PatientEntities.PartitionOf(studyId);
                var patientRead = PointReadAsync(
                    storage.Patients,
                    patientKey,
                    PatientEntities.PatientRow,
                    cancellationToken
                );
                var waveRead = PointReadAsync(
                    storage.Patients,
                    patientKey,
                    PatientEntities.WavePrefix + wave.Code(),
                    cancellationToken
                );
                var desired = StatusEntry.Derive(await patientRead, await waveRead, dueDate, options.Value, clinic);
                return await WriteAsync(look, desired, cancellationToken);
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

    private async Task<Look> ReadLookAsync(
        string studyId,
        Wave wave,
        DateOnly dueDate,
        CancellationToken cancellationToken
    )
    {
        var (entry, counts) = await ReadIndexAsync(wave, dueDate, StudyIds.Key(studyId), cancellationToken);
        return new Look(studyId, wave, dueDate, entry, counts);
    }

    private async Task<(TableEntity? Entry, TableEntity? Counts)> ReadIndexAsync(
        Wave wave,
        DateOnly dueDate,
        string row,
        CancellationToken cancellationToken
    )
    {
        var partition = StatusIndexKeys.PartitionOf(wave, dueDate);
        var entryRead = PointReadAsync(storage.FollowUpStatus, partition, row, cancellationToken);
        var countsRead = PointReadAsync(
            storage.FollowUpStatus,
            partition,
            StatusIndexKeys.CountsRow(StatusIndexKeys.ShardOf(row)),
            cancellationToken
        );
        return (await entryRead, await countsRead);
    }

    /// <summary>
    /// Writes <paramref name="desired"/> over the entry of <paramref name="look"/> (guarded by its ETag) together
    /// with its shard's counts, then copies the counts. When only the counts moved on meanwhile (another entry of the
    /// shard was written), reads them again and writes the same entry: the sources need no new read while the entry
    /// is as we read it. When the entry moved on, the lost race is thrown for the caller to read everything again.
    /// </summary>
    private async Task<Outcome> WriteAsync(Look look, StatusEntry? desired, CancellationToken cancellationToken)
    {
        var current = look.Entry is null ? null : StatusEntry.FromEntity(look.Entry);
        var row = StudyIds.Key(look.StudyId);
        var shard = StatusIndexKeys.ShardOf(row);
        if (current == desired)
        {
            await copies.RepairShardAsync(look.Wave, look.DueDate, shard, look.Counts, cancellationToken);
            return Outcome.Unchanged;
        }
        var countsRow = look.Counts;
        for (var attempt = 0; ; attempt++)
        {
            var batch = new List<TableTransactionAction>();
            if (desired is null)
                batch.Add(new(TableTransactionActionType.Delete, look.Entry!, look.Entry!.ETag));
            else if (look.Entry is null)
                batch.Add(new(TableTransactionActionType.Add, desired.ToEntity()));
            else
                batch.Add(new(TableTransactionActionType.UpdateReplace, desired.ToEntity(), look.Entry.ETag));
            TableEntity? newCounts = null;
            if (current?.Cell != desired?.Cell)
            {
                newCounts = CountsAfter(look, shard, countsRow, current, desired);
                batch.Add(
                    countsRow is null
                        ? new(TableTransactionActionType.Add, newCounts)
                        : new(TableTransactionActionType.UpdateReplace, newCounts, countsRow.ETag)
                );
            }
            try
            {
                await storage.FollowUpStatus.SubmitTransactionAsync(batch, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex) && attempt < Contention.Attempts - 1)
            {
                var (entryNow, countsNow) = await ReadIndexAsync(look.Wave, look.DueDate, row, cancellationToken);
                if (entryNow?.ETag != look.Entry?.ETag)
                    throw;
                countsRow = countsNow;
                await contention.PauseAsync(attempt, cancellationToken);
                continue;
            }
            if (newCounts is not null)
                await copies.CopyShardAsync(look.Wave, look.DueDate, shard, countsRow, newCounts, cancellationToken);
            return desired is null ? Outcome.Removed : Outcome.Written;
        }
    }

    private static TableEntity CountsAfter(
        Look look,
        int shard,
        TableEntity? countsRow,
        StatusEntry? current,
        StatusEntry? desired
    )
    {
        var cells = StatusCells.Parse(countsRow?.GetString("Cells"));
        if (current is not null)
            cells[current.Cell] = cells.GetValueOrDefault(current.Cell) - 1;
        if (desired is not null)
            cells[desired.Cell] = cells.GetValueOrDefault(desired.Cell) + 1;
        var partition = StatusIndexKeys.PartitionOf(look.Wave, look.DueDate);
        return CountsEntity(partition, shard, cells, (countsRow?.GetInt64("Version") ?? 0) + 1);
    }

    internal static TableEntity CountsEntity(
        string partition,
        int shard,
        IReadOnlyDictionary<string, int> cells,
        long version
    ) =>
        new(partition, StatusIndexKeys.CountsRow(shard))
        {
            ["Cells"] = StatusCells.Format(cells),
            ["Version"] = version,
        };

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
