using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Responses;

namespace PvpServerless.Coordination.Actions;

/// <summary>
/// What the wave actions (resend, window) may do: the bounds of a window and the state of a reopened wave.
/// </summary>
public static class WaveRules
{
    /// <summary>
    /// The last day an answer to <paramref name="wave"/> is still taken (<see cref="ResponseRules.CheckTiming"/>): a
    /// window never closes later, since an answer after it would be refused. Baseline: the procedure + 14 days;
    /// 3 months: the last day nearer its due date than the one-year's; one year: its due date + 182 days.
    /// </summary>
    public static DateOnly LastAnswerDay(Wave wave, DateOnly procedure)
    {
        var day = wave.DueDate(procedure);
        while (ResponseRules.CheckTiming(wave, day.AddDays(1), procedure, null, null) is null)
            day = day.AddDays(1);
        return day;
    }

    /// <summary>Null when <paramref name="closesOn"/> may close the wave's window; else why not.</summary>
    public static string? CheckClosesOn(WaveState wave, DateOnly procedure, DateOnly closesOn, DateOnly today)
    {
        if (closesOn < today)
            return $"Lies before today ({Codes.Format(today)}): a window closes today or later.";
        if (closesOn < wave.OpensOn)
            return $"Lies before the window opens ({Codes.Format(wave.OpensOn)}).";
        var last = LastAnswerDay(wave.Wave, procedure);
        return closesOn > last
            ? $"At most {Codes.Format(last)}: a {wave.Wave.Code()} answer after that day is not taken."
            : null;
    }

    /// <summary>
    /// The state a final wave returns to when its window is opened again or its invitation is sent again: as far as
    /// its e-mails had got (invited, reminded), or scheduled when none went.
    /// </summary>
    public static string ReopenedState(WaveState wave) =>
        wave.InvitedOn is null ? "scheduled"
        : wave.Reminders > 0 ? "reminded"
        : "invited";

    /// <summary>Why no e-mail may go to the patient now (dead, withdrawn, opted out, no address), or null.</summary>
    public static ActionOutcome? RefuseEmail(WaveContext context)
    {
        var standing = context.Standing;
        return FollowUpRules.SkipReason(standing) switch
        {
            "dead" => new ActionOutcome.Conflict(
                "studyId",
                $"The patient died on {Codes.Format(standing.DeathDate!.Value)}: no more e-mail."
            ),
            "withdrawn" => new ActionOutcome.Conflict(
                "studyId",
                $"The patient withdrew on {Codes.Format(standing.WithdrawnDate!.Value)}: no more e-mail."
            ),
            "optedOut" => new ActionOutcome.Conflict(
                "studyId",
                "The patient opted out of e-mail: opt them back in first (POST …/opt-in)."
            ),
            "noEmail" => new ActionOutcome.Conflict(
                "studyId",
                "No e-mail address is on record: give one with a contactChange event first."
            ),
            _ => null,
        };
    }
}
