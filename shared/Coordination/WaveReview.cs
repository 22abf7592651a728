using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Coordination;

/// <summary>
/// After an action changed what the scheduler decides on (a window, an opt-out, a death), the scheduler decides
/// about the patient's waves at once, by its own rules (<see cref="FollowUpRules"/>). Where it cannot (storage busy,
/// every attempt lost), today's index row asks its next run (every 15 minutes) to decide (docs/coordination.md).
/// </summary>
public sealed class WaveReview(ScheduleIndex index, FollowUpScheduler scheduler, ClinicClock clinic)
{
    public Task ReviewAsync(string studyId, CancellationToken cancellationToken) =>
        ReviewAsync(studyId, Waves.All, cancellationToken);

    public async Task ReviewAsync(string studyId, IEnumerable<Wave> waves, CancellationToken cancellationToken)
    {
        // A decision may queue an e-mail; on a fresh account no scheduler run has made the queue yet.
        await scheduler.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var wave in waves)
        {
            string done;
            try
            {
                done = await scheduler.DecideNowAsync(studyId, wave, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                done = "busy";
            }
            if (done == "busy")
                await index.AddAsync(studyId, wave, clinic.Today(), cancellationToken);
        }
    }
}
