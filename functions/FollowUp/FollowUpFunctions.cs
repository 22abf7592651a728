using Microsoft.Azure.Functions.Worker;
using PvpServerless.FollowUp;

namespace PvpServerless.Functions.FollowUp;

/// <summary>
/// The follow-up engine: the scheduler on a timer (ScheduleFollowUpsSchedule, UTC; the code decides which clinic
/// days a run covers) and the sender on the invitations queue (InvitationsQueue). See docs/follow-up.md.
/// </summary>
public sealed class FollowUpFunctions(
    FollowUpScheduler scheduler,
    InvitationSender sender,
    StatusIndexBacklog backlog
)
{
    [Function("ScheduleFollowUps")]
    public Task Schedule(
        [TimerTrigger("%ScheduleFollowUpsSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken
    ) => scheduler.RunAsync(cancellationToken);

    /// <summary>
    /// A message whose e-mail must wait (SendGrid's 429/5xx beyond the sender's own retries) throws, so the queue
    /// delivers it again later; after five deliveries it lands in invitations-poison, which coordinators see.
    /// </summary>
    [Function("SendInvitation")]
    public Task Send([QueueTrigger("%InvitationsQueue%")] string message, CancellationToken cancellationToken) =>
        sender.HandleAsync(message, cancellationToken);

    /// <summary>
    /// Finishes the status-index syncs that a crash, a shutdown or busy storage left as pending rows (docs/storage.md,
    /// "Index pending"); every 15 minutes: the lag such a row may cause, weighed against a scan of the patients table.
    /// </summary>
    [Function("SweepStatusIndex")]
    public Task Sweep([TimerTrigger("0 7-59/15 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        backlog.SweepAsync(cancellationToken);
}
