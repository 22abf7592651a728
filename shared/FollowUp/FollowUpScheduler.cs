using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>What one scheduler run did: counts only, never a patient.</summary>
public sealed record SchedulerRun(
    DateOnly From,
    DateOnly To,
    int Visited,
    int Invitations,
    int Reminders,
    int Requeued,
    int Expired,
    int Skipped,
    int RolledBack
);

/// <summary>
/// The scheduler (timer function <c>ScheduleFollowUps</c>). Reads the action index only for the clinic days from its
/// last completed day up to today, decides per wave (<see cref="FollowUpRules"/>), and queues one message per e-mail.
/// Its cost grows with what is due, never with how many patients are enrolled (docs/follow-up.md).
/// </summary>
public sealed class FollowUpScheduler(
    PvpStorage storage,
    ScheduleIndex index,
    FollowUpStore store,
    StatusIndex statusIndex,
    PendingEnrolments pending,
    ClinicClock clinic,
    Contention contention,
    IOptions<FollowUpOptions> options,
    TimeProvider clock,
    ILogger<FollowUpScheduler> log
)
{
    private const string CheckpointPartition = "checkpoint";
    private const string CheckpointRow = "scheduler";

    public QueueClient Queue => storage.Queues.GetQueueClient(options.Value.QueueName);

    public async Task<SchedulerRun> RunAsync(CancellationToken cancellationToken)
    {
        await Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var rolledBack = await pending.SweepAsync(FollowUpStore.Scheduler, cancellationToken);
        var today = clinic.Today();
        var from = await FirstDayToReadAsync(today, cancellationToken);
        var tally = new Dictionary<string, int>();
        var visited = 0;
        for (var day = from; day <= today; day = day.AddDays(1))
        {
            await foreach (var entry in index.DueOnAsync(day, cancellationToken))
            {
                visited++;
                var done = await VisitAsync(entry.StudyId, entry.Wave, day, cancellationToken);
                tally[done] = tally.GetValueOrDefault(done) + 1;
            }
            // Today is never complete: each run of the day reads it again, so late enrolments are seen.
            if (day < today)
                await CompleteAsync(day, cancellationToken);
        }
        var run = new SchedulerRun(
            from,
            today,
            visited,
            tally.GetValueOrDefault("invitation"),
            tally.GetValueOrDefault("reminder"),
            tally.GetValueOrDefault("requeued"),
            tally.GetValueOrDefault("expired"),
            tally.GetValueOrDefault("skipped"),
            rolledBack
        );
        log.LogInformation(
            "Follow-up scheduler {From}..{To}: {Visited} waves looked at, {Invitations} invitations, {Reminders} "
                + "reminders, {Expired} expired, {Skipped} skipped",
            run.From,
            run.To,
            run.Visited,
            run.Invitations,
            run.Reminders,
            run.Expired,
            run.Skipped
        );
        return run;
    }

    /// <summary>
    /// Decides about one wave now, as a run would: a coordinator's action has just changed what the decision stands
    /// on (docs/coordination.md). Returns what it did ("none", "invitation", "skipped", …, "busy"). The queue must
    /// exist (<see cref="RunAsync"/> makes it).
    /// </summary>
    public Task<string> DecideNowAsync(string studyId, Wave wave, CancellationToken cancellationToken) =>
        VisitAsync(studyId, wave, clinic.Today(), cancellationToken);

    /// <summary>Decides about one wave, retrying lost races; returns what it did.</summary>
    private async Task<string> VisitAsync(
        string studyId,
        Wave wave,
        DateOnly indexDay,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            try
            {
                return await TryVisitAsync(studyId, wave, indexDay, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex) || Contention.IsUnavailable(ex))
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
        }
        // Another scheduler or sender kept winning: it is handling this wave; the next run looks again.
        return "busy";
    }

    private async Task<string> TryVisitAsync(
        string studyId,
        Wave wave,
        DateOnly indexDay,
        CancellationToken cancellationToken
    )
    {
        if (await store.ReadAsync(studyId, wave, cancellationToken) is not { } context)
            return "none";
        var now = clock.GetUtcNow();
        var today = clinic.Today();
        var o = options.Value;
        switch (FollowUpRules.Decide(context.Wave, context.Standing, today, now, o))
        {
            case FollowUpDecision.Wait w:
                if (w.Day is { } day && day != indexDay)
                    await index.AddAsync(context.StudyId, wave, day, cancellationToken);
                // Each look at a wave also repairs its status-index entry, should a crash have left it stale.
                await statusIndex.TrySyncAsync(context.StudyId, wave, context.Wave.DueDate, cancellationToken);
                return "none";
            case FollowUpDecision.Skip s:
                await store.ChangeAsync(
                    context,
                    new Dictionary<string, object?> { ["State"] = "skipped", ["SkipReason"] = s.Reason },
                    FollowUpStore.Scheduler,
                    "waveSkipped",
                    new { reason = s.Reason },
                    now,
                    cancellationToken
                );
                return "skipped";
            case FollowUpDecision.Expire:
                await store.ChangeAsync(
                    context,
                    new Dictionary<string, object?> { ["State"] = "expired", ["EmailStatus"] = "none" },
                    FollowUpStore.Scheduler,
                    "waveExpired",
                    new { closedOn = Codes.Format(context.Wave.ClosesOn) },
                    now,
                    cancellationToken
                );
                return "expired";
            case FollowUpDecision.Send send:
                return await QueueAsync(context, send.Reminder, now, today, cancellationToken);
            case FollowUpDecision.Requeue:
                await store.ChangeAsync(
                    context,
                    new Dictionary<string, object?>
                    {
                        ["EmailStatus"] = "queued",
                        ["QueuedAt"] = now,
                        ["ClaimedUntil"] = null,
                    },
                    FollowUpStore.Scheduler,
                    "emailRequeued",
                    new { kind = context.Wave.EmailKind },
                    now,
                    cancellationToken
                );
                await EnqueueAsync(context.StudyId, wave, context.Wave.EmailId!, cancellationToken);
                return "requeued";
            default:
                throw new InvalidOperationException("Unknown decision.");
        }
    }

    /// <summary>
    /// Marks the e-mail queued on the wave (ETag-guarded: of two schedulers, one wins) and only then queues its
    /// message, so a message never exists without its claim on the wave.
    /// </summary>
    private async Task<string> QueueAsync(
        WaveContext context,
        int reminder,
        DateTimeOffset now,
        DateOnly today,
        CancellationToken cancellationToken
    )
    {
        var emailId = Email.EmailIds.New();
        var kind = FollowUpRules.KindCode(reminder);
        await store.ChangeAsync(
            context,
            new Dictionary<string, object?>
            {
                ["EmailId"] = emailId,
                ["EmailKind"] = kind,
                ["EmailStatus"] = "queued",
                ["QueuedAt"] = now,
                ["ClaimedUntil"] = null,
                ["TokenNonce"] = context.Wave.TokenNonce ?? NewNonce(),
            },
            FollowUpStore.Scheduler,
            "emailQueued",
            new { kind },
            now,
            cancellationToken
        );
        await EnqueueAsync(context.StudyId, context.Wave.Wave, emailId, cancellationToken);
        // Look again tomorrow: by then it is sent (and the sender has indexed the next visit) or it is requeued.
        await index.AddAsync(context.StudyId, context.Wave.Wave, today.AddDays(1), cancellationToken);
        return reminder == 0 ? "invitation" : "reminder";
    }

    private async Task EnqueueAsync(string studyId, Wave wave, string emailId, CancellationToken cancellationToken)
    {
        var message = InvitationMessage.Serialize(new InvitationMessage(studyId, wave.Code(), emailId));
        await Queue.SendMessageAsync(message, cancellationToken);
    }

    private static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The day after the checkpoint; on the very first run, today (and the checkpoint is started).</summary>
    private async Task<DateOnly> FirstDayToReadAsync(DateOnly today, CancellationToken cancellationToken)
    {
        if (await LastCompletedDayAsync(cancellationToken) is { } last)
            return last.AddDays(1);
        // Without a checkpoint no day would ever be completed, and every later run would read only its own today,
        // losing what missed days (an outage, an enrolment after the day's last run) left in the index.
        await CompleteAsync(today.AddDays(-1), cancellationToken);
        return today;
    }

    private async Task<DateOnly?> LastCompletedDayAsync(CancellationToken cancellationToken)
    {
        var row = await storage.Schedule.GetEntityIfExistsAsync<TableEntity>(
            CheckpointPartition,
            CheckpointRow,
            cancellationToken: cancellationToken
        );
        return row.HasValue ? PatientEntities.Date(row.Value!.GetString("LastCompletedDay")) : null;
    }

    /// <summary>Moves the checkpoint forward, never back (two runs at once may both finish a day).</summary>
    private async Task CompleteAsync(DateOnly day, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            var row = await storage.Schedule.GetEntityIfExistsAsync<TableEntity>(
                CheckpointPartition,
                CheckpointRow,
                cancellationToken: cancellationToken
            );
            var entity = new TableEntity(CheckpointPartition, CheckpointRow)
            {
                ["LastCompletedDay"] = Codes.Format(day),
            };
            try
            {
                if (!row.HasValue)
                    await storage.Schedule.AddEntityAsync(entity, cancellationToken);
                else if (PatientEntities.Date(row.Value!.GetString("LastCompletedDay")) < day)
                    await storage.Schedule.UpdateEntityAsync(
                        entity,
                        row.Value.ETag,
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
}
