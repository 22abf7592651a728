using PvpServerless.Patients;

namespace PvpServerless.Coordination.Actions;

public sealed record AbandonAnswer(string StudyId, bool Changed);

/// <summary>
/// Gives up an enrolment that was started and never finished, at once rather than after
/// <c>Enrolment:PendingTimeout</c>: the rollback of <see cref="PendingEnrolments"/> (index rows, contact, waves and
/// record, an <c>enrolmentRolledBack</c> audit line naming who) and its marker, so the study id can be enrolled again.
/// Nothing pending (any more) is the state asked for: a repeat answers the same without a second effect. An id that
/// is enrolled is refused (docs/coordination.md, "Pending enrolments").
/// </summary>
public sealed class PendingAbandonment(PendingEnrolments pending, ActionRetry retry)
{
    public async Task<ActionOutcome> AbandonAsync(string studyId, Actor actor, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return ActionOutcome.Bad("studyId", "Not a study id: letters, digits, '.', '_' or '-'.");
        return await retry.RunAsync(
            async c =>
            {
                var record = await pending.ReadRecordAsync(studyId, c);
                if (record?.GetString("Status") == PatientEntities.Active)
                {
                    return new ActionOutcome.Conflict(
                        "studyId",
                        $"{record.GetString("StudyId")} is enrolled, not pending: nothing was changed."
                    );
                }
                if (record is null)
                {
                    await pending.DropMarkerAsync(studyId, c); // a marker left without a record
                    return new ActionOutcome.Done(new AbandonAnswer(studyId, false), false);
                }
                // ETag-guarded: an enrolment finishing at this moment wins, and the next attempt finds it active.
                await pending.RollBackAsync(record, actor, c);
                return new ActionOutcome.Done(new AbandonAnswer(record.GetString("StudyId")!, true), true);
            },
            cancellationToken
        );
    }
}
