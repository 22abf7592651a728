using PvpServerless.Domain;
using PvpServerless.FollowUp;

namespace PvpServerless.Coordination;

/// <summary>
/// After an action changed what the scheduler decides on (a window, an opt-out, a death), the scheduler decides
/// about the patient's waves at once, by its own rules (<see cref="FollowUpRules"/>). Today's index row is written
/// first, so that should this fail, the next run (every 15 minutes) decides instead (docs/coordination.md).
/// </summary>
public sealed class WaveReview(ScheduleIndex index, FollowUpScheduler scheduler, ClinicClock clinic)
{
    public Task ReviewAsync(string studyId, CancellationToken cancellationToken) =>
        ReviewAsync(studyId, Waves.All, cancellationToken);

    public async Task ReviewAsync(string studyId, IEnumerable<Wave> waves, CancellationToken cancellationToken)
    {
        var today = clinic.Today();
        foreach (var wave in waves)
        {
            await index.AddAsync(studyId, wave, today, cancellationToken);
            await scheduler.DecideNowAsync(studyId, wave, cancellationToken);
        }
    }
}
