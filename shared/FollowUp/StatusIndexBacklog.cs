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
/// (<see cref="StatusIndexBatch"/>: entries first, then the rows; the waves queued meanwhile for one partition in one
/// transaction) and only then deletes each pending row under the ETag it was written with. The drain gives way to
/// survey posts in flight (<see cref="BeginPost"/>) until they pause, within a bounded lag (<see cref="MaxLag"/>).
/// What a crash, a shutdown or a busy storage leaves behind, the sweep (<see cref="SweepAsync"/>, a timer) finishes
/// from the pending rows.
/// </summary>
public sealed class StatusIndexBacklog(
    PvpStorage storage,
    StatusIndex index,
    StatusIndexBatch batches,
    ILogger<StatusIndexBacklog> log
)
{
    public const string RowPrefix = "index|";

    /// <summary>Pending rows of every patient: a scan, the sweep's only (Table Storage has no other index).</summary>
    public const string PendingFilter = "RowKey ge 'index|' and RowKey lt 'index}'";

    /// <summary>
    /// How long no survey post may have been in flight before the drain goes on: long enough to tell a burst's next
    /// post from the end of the burst (a client's posts follow each other within milliseconds), short enough that an
    /// idle host syncs an answer within a fraction of a second (docs/survey.md, "Under load").
    /// </summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    /// <summary>The longest a sync waits for the posts to pause; then it runs beside them (the lag's bound).</summary>
    public static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(30);

    /// <summary>A backlog this long no longer waits for the posts (memory, and the time to catch up).</summary>
    public const int MaxWaiting = 10_000;

    // How often a waiting drain looks again whether it may go on.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    // The drain's pauses are measured in real time, not on the host's TimeProvider: that is the clinic's clock, which
    // the tests and the demo stop or move, and a stopped clock must not stop the index.
    private static readonly TimeProvider Wall = TimeProvider.System;

    // Partitions synced at once: enough to keep up, few enough that a post arriving meanwhile still gets its turn.
    private const int Parallelism = 4;

    // Waves taken from the queue per round; a round's waves of one partition are synced together, so the larger the
    // round, the fewer requests per wave (a burst of a few thousand answers is one round).
    private const int MaxRound = 4096;

    /// <summary>A sync handed over, and when (<see cref="Wall"/>'s timestamp).</summary>
    private sealed record Queued(PendingSync Sync, long At);

    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>();
    private long _open;
    private int _draining;
    private int _posting;
    private long _lastPostEnded;
    private int _waiters;

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
        if (!_queue.Writer.TryWrite(new Queued(sync, Wall.GetTimestamp())))
            Interlocked.Decrement(ref _open);
    }

    /// <summary>
    /// A survey post from its first read to its answer: the drain gives way while any is in flight (docs/storage.md,
    /// "Index pending"). Dispose it when the post is done.
    /// </summary>
    public PostInFlight BeginPost()
    {
        Interlocked.Increment(ref _posting);
        return new PostInFlight(this);
    }

    /// <summary>Survey posts in flight now.</summary>
    public int Posting => Volatile.Read(ref _posting);

    internal void EndPost()
    {
        // The time first: a drain that sees no post in flight also sees when the last one ended.
        Interlocked.Exchange(ref _lastPostEnded, Wall.GetTimestamp());
        Interlocked.Decrement(ref _posting);
    }

    /// <summary>
    /// Returns when every sync handed over so far is done, or at once when no drain runs in this process (a tool
    /// over the core services alone): its pending rows wait for the sweep. Whoever waits wants the index now (a test,
    /// the check, the benchmark's count): meanwhile the drain does not give way to posts.
    /// </summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            while (Volatile.Read(ref _draining) == 1 && Open > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(10), Wall, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    /// <summary>The drain: runs until <paramref name="cancellationToken"/> stops it (the host's shutdown).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _draining, 1);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken))
            {
                if (_queue.Reader.TryPeek(out var first))
                    await GiveWayAsync(first.At, cancellationToken);
                var round = new List<Queued>();
                while (round.Count < MaxRound && _queue.Reader.TryRead(out var queued))
                    round.Add(queued);
                if (round.Count == 0)
                    continue;
                var oldest = round.Min(q => q.At);
                await Parallel.ForEachAsync(
                    round.Select(q => q.Sync).GroupBy(r => (r.Wave, r.DueDate)),
                    new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (group, ct) =>
                    {
                        try
                        {
                            // Posts that came back mid-round get storage first again.
                            await GiveWayAsync(oldest, ct);
                            await FinishAsync(group.Key.Wave, group.Key.DueDate, [.. group], ct);
                        }
                        finally
                        {
                            Interlocked.Add(ref _open, -group.Count());
                        }
                    }
                );
            }
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
    /// Waits while survey posts are in flight or the last ended less than <see cref="Quiet"/> ago, so that the syncs
    /// (seven or eight requests a wave) do not compete with the posts for storage (docs/survey.md, "Under load"); goes
    /// on at once when someone waits for the index, when the backlog holds <see cref="MaxWaiting"/>, or when the
    /// oldest sync at hand (queued at <paramref name="oldest"/>) has waited <see cref="MaxLag"/>.
    /// </summary>
    private async Task GiveWayAsync(long oldest, CancellationToken cancellationToken)
    {
        while (
            Volatile.Read(ref _waiters) == 0
            && Open < MaxWaiting
            && Wall.GetElapsedTime(oldest) < MaxLag
            && (Posting > 0 || Wall.GetElapsedTime(Interlocked.Read(ref _lastPostEnded)) < Quiet)
        )
            await Task.Delay(Poll, Wall, cancellationToken);
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

    /// <summary>One partition's waves synced together, then their pending rows removed; the rest wait.</summary>
    private async Task FinishAsync(
        Wave wave,
        DateOnly dueDate,
        IReadOnlyList<PendingSync> syncs,
        CancellationToken cancellationToken
    )
    {
        IReadOnlyList<PendingSync> left;
        try
        {
            left = await batches.SyncAsync(wave, dueDate, syncs, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Status index: {Count} pending {Wave} entries wait", syncs.Count, wave.Code());
            return;
        }
        if (left.Count > 0)
            log.LogWarning("Status index: {Count} pending {Wave} entries wait for the sweep", left.Count, wave.Code());
        await Parallel.ForEachAsync(
            syncs.Except(left),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (sync, ct) => await RemoveAsync(sync, ct)
        );
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
            return await RemoveAsync(sync, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Status index: a pending {Wave} entry waits for the sweep", sync.Wave.Code());
            return false;
        }
    }

    /// <summary>Deletes a synced wave's pending row, unless written again since (its writer syncs).</summary>
    private async Task<bool> RemoveAsync(PendingSync sync, CancellationToken cancellationToken)
    {
        try
        {
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

/// <summary>A survey post in flight (<see cref="StatusIndexBacklog.BeginPost"/>); disposing it ends it.</summary>
public readonly struct PostInFlight(StatusIndexBacklog backlog) : IDisposable
{
    public void Dispose() => backlog.EndPost();
}

/// <summary>Runs the backlog's drain for as long as the host runs (the Functions worker, the local host).</summary>
public sealed class StatusIndexDrain(StatusIndexBacklog backlog) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => backlog.RunAsync(stoppingToken);
}
