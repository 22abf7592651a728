using PvpServerless.Domain;

namespace PvpServerless.FollowUp;

/// <summary>What the scheduler knows of the patient when it decides about one wave.</summary>
public sealed record PatientStanding(
    bool Active,
    DateOnly? DeathDate,
    DateOnly? WithdrawnDate,
    DateTimeOffset? OptedOutAt,
    bool HasEmail
);

/// <summary>What to do with a wave today.</summary>
public abstract record FollowUpDecision
{
    /// <summary>Nothing now; look again on <c>Day</c> (null: never).</summary>
    public sealed record Wait(DateOnly? Day) : FollowUpDecision;

    public sealed record Skip(string Reason) : FollowUpDecision;

    public sealed record Expire : FollowUpDecision;

    /// <summary>Queue this e-mail (kind: invitation or reminder n).</summary>
    public sealed record Send(int Reminder) : FollowUpDecision;

    /// <summary>An e-mail was queued long ago and never claimed (its message was lost): queue it again.</summary>
    public sealed record Requeue : FollowUpDecision;
}

/// <summary>The scheduler's rules, as a pure function of the wave, the patient and the clinic's day.</summary>
public static class FollowUpRules
{
    public static FollowUpDecision Decide(
        WaveState wave,
        PatientStanding patient,
        DateOnly today,
        DateTimeOffset now,
        FollowUpOptions options
    )
    {
        if (wave.IsFinal || !patient.Active)
            return new FollowUpDecision.Wait(null);
        if (SkipReason(patient) is { } reason)
            return new FollowUpDecision.Skip(reason);
        if (today > wave.ClosesOn)
            return new FollowUpDecision.Expire();
        if (today < wave.OpensOn)
            return new FollowUpDecision.Wait(wave.OpensOn);
        if (wave.EmailStatus is EmailStatus.Queued or EmailStatus.Sending)
        {
            // In flight. A message lost between queueing and sending is queued again once its claim time is over.
            // Only a sender's claim sets ClaimedUntil; rows written before changes replaced the whole row may still
            // hold an earlier e-mail's claim while queued, which says nothing about this message.
            var claimEnds = wave.EmailStatus == EmailStatus.Sending ? wave.ClaimedUntil : null;
            var stale = (claimEnds ?? wave.QueuedAt + options.ClaimTimeout) < now;
            return stale ? new FollowUpDecision.Requeue() : new FollowUpDecision.Wait(today.AddDays(1));
        }
        if (wave.Status == WaveStatus.Scheduled)
            return new FollowUpDecision.Send(0);
        var next = NextReminderDay(wave, options);
        if (next is { } day && day <= today)
            return new FollowUpDecision.Send(wave.Reminders + 1);
        return new FollowUpDecision.Wait(next is { } d && d <= wave.ClosesOn ? d : wave.ClosesOn.AddDays(1));
    }

    /// <summary>Why no e-mail may go to this patient any more, or null.</summary>
    public static string? SkipReason(PatientStanding p) =>
        p.DeathDate is not null ? "dead"
        : p.WithdrawnDate is not null ? "withdrawn"
        : p.OptedOutAt is not null ? "optedOut"
        : !p.HasEmail ? "noEmail"
        : null;

    /// <summary>The day the next reminder is due (counted from the invitation), or null when none is left.</summary>
    public static DateOnly? NextReminderDay(WaveState wave, FollowUpOptions options)
    {
        if (wave.Reminders >= options.ReminderDays.Length || wave.InvitedOn is not { } invited)
            return null;
        return invited.AddDays(options.ReminderDays[wave.Reminders]);
    }

    /// <summary>The day after sending that the scheduler must look at the wave again.</summary>
    public static DateOnly NextVisit(WaveState wave, DateOnly sentOn, int reminder, FollowUpOptions options)
    {
        var invitedOn = reminder == 0 ? sentOn : wave.InvitedOn ?? sentOn;
        var next =
            reminder < options.ReminderDays.Length
                ? invitedOn.AddDays(options.ReminderDays[reminder])
                : (DateOnly?)null;
        return next is { } d && d <= wave.ClosesOn ? d : wave.ClosesOn.AddDays(1);
    }

    public static string KindCode(int reminder) => reminder == 0 ? "invitation" : $"reminder{reminder}";
}
