using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>A wave whose status-index entry is to be synced, and the ETag of its pending row.</summary>
public sealed record PendingSync(string StudyId, Wave Wave, DateOnly DueDate, ETag Marker);

/// <summary>
/// Status-index syncs taken off a writer's path (docs/storage.md, "Index pending"): the writer adds a pending row
/// (<see cref="PendingRow"/>) to its own transaction in the patient's partition, so a crash cannot lose it, and hands
/// the wave to this backlog when the transaction succeeded. The drain (<see cref="StatusIndexDrain"/>) syncs each wave
/// the ordinary way (<see cref="StatusIndex.SyncAsync"/>: entry first, then the rows) and only then deletes the pending
/// row under the ETag it was written with. What a crash, a shutdown or a busy storage leaves behind, the sweep
/// (<see cref="SweepAsync"/>, a timer) finishes from the pending rows.
/// </summary>
public sealed class StatusIndexBacklog(PvpStorage storage, StatusIndex index, ILogger<StatusIndexBacklog> log)
{
    public const string RowPrefix = "index|";

    /// <summary>Pending rows of every patient: a scan, the sweep's only (Table Storage has no other index).</summary>
    public const string PendingFilter = "RowKey ge 'index|' and RowKey lt 'index}'";

    // Syncs at once: enough to keep up, few enough that the posts still get most of storage's time.
    private const int Parallelism = 4;

    private readonly Channel<PendingSync> _queue = Channel.CreateUnbounded<PendingSync>();
    private long _open;
    private int _draining;

    /// <summary>Syncs handed over and not finished yet (the benchmark waits for none).</summary>
    public long Open => Interlocked.Read(ref _open);

    /// <summary>The pending row of one wave, for the writer's transaction.</summary>
    public static TableEntity PendingRow(string studyId, Wave wave, DateOnly dueDate, DateTimeOffset at) =>
        new(PatientEntities.PartitionOf(studyId), RowPrefix + wave.Code())
        {
            ["StudyId"] = studyId,
            ["Wave"] = wave.Code(),
            ["DueDate"] = Codes.Format(dueDate),
            ["At"] = at,
        };

    public void Add(PendingSync sync)
    {
        Interlocked.Increment(ref _open);
        if (!_queue.Writer.TryWrite(sync))
            Interlocked.Decrement(ref _open);
    }

    /// <summary>
    /// Returns when every sync handed over so far is done, or at once when no drain runs in this process (a tool
    /// over the core services alone): its pending rows wait for the sweep.
    /// </summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _draining) == 1 && Open > 0)
            await Task.Delay(10, cancellationToken);
    }

    /// <summary>The drain: runs until <paramref name="cancellationToken"/> stops it (the host's shutdown).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _draining, 1);
        try
        {
            await Parallel.ForEachAsync(
                _queue.Reader.ReadAllAsync(cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (sync, ct) =>
                {
                    try
                    {
                        await FinishAsync(sync, ct);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _open);
                    }
                }
            );
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what is left has its pending rows.
        }
        finally
        {
            Volatile.Write(ref _draining, 0);
        }
    }

    /// <summary>
    /// Every pending row in storage, synced and removed (a crash's, a shutdown's, another instance's); first the syncs
    /// this process holds. Returns how many rows it finished.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await WhenIdleAsync(cancellationToken);
        var finished = 0;
        await foreach (
            var row in storage.Patients.QueryAsync<TableEntity>(PendingFilter, cancellationToken: cancellationToken)
        )
        {
            if (
                row.GetString("StudyId") is { } studyId
                && Codes.TryParse<Wave>(row.GetString("Wave"), out var wave)
                && Codes.TryParseDate(row.GetString("DueDate"), out var due)
                && await FinishAsync(new PendingSync(studyId, wave, due, row.ETag), cancellationToken)
            )
                finished++;
        }
        return finished;
    }

    /// <summary>Syncs the entry, then removes the pending row; on any failure the row stays for the sweep.</summary>
    private async Task<bool> FinishAsync(PendingSync sync, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await index.SyncAsync(sync.StudyId, sync.Wave, sync.DueDate, cancellationToken);
            if (outcome == StatusIndex.Outcome.Busy)
            {
                log.LogWarning("Status index: a pending {Wave} entry waits for the sweep", sync.Wave.Code());
                return false;
            }
            await storage.Patients.DeleteEntityAsync(
                PatientEntities.PartitionOf(sync.StudyId),
                RowPrefix + sync.Wave.Code(),
                sync.Marker,
                cancellationToken
            );
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Removed already (the sweep and the drain met), or written again since: its writer hands it over again.
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Status index: a pending {Wave} entry waits for the sweep", sync.Wave.Code());
            return false;
        }
    }
}

/// <summary>Runs the backlog's drain for as long as the host runs (the Functions worker, the local host).</summary>
public sealed class StatusIndexDrain(StatusIndexBacklog backlog) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => backlog.RunAsync(stoppingToken);
}
