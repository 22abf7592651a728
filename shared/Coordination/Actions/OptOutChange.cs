using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Coordination.Actions;

public sealed record OptOutAnswer(
    string StudyId,
    DateTimeOffset? OptedOutAt,
    IReadOnlyList<string> Resumed,
    bool Changed
);

/// <summary>
/// A coordinator opts a patient out of e-mail (as the patient's own link does: <c>OptedOutAt</c> on the record, with
/// its audit line, in one ETag-guarded transaction), or back in: <c>OptedOutAt</c> goes, and every wave the opt-out
/// had skipped whose window is still open is open again. Either way the scheduler then decides about the waves at
/// once: it skips them, or invites and reminds as they are due (docs/coordination.md, "Opt-out").
/// </summary>
public sealed class OptOutChange(
    PvpStorage storage,
    FollowUpStore store,
    WaveReview review,
    ClinicClock clinic,
    ActionRetry retry,
    TimeProvider clock
)
{
    public const string OptedOut = "optedOut";
    public const string OptedIn = "optedIn";
    public const string WaveResumed = "waveResumed";

    public Task<ActionOutcome> OptOutAsync(string studyId, Actor actor, CancellationToken cancellationToken) =>
        RunAsync(studyId, optIn: false, actor, cancellationToken);

    public Task<ActionOutcome> OptInAsync(string studyId, Actor actor, CancellationToken cancellationToken) =>
        RunAsync(studyId, optIn: true, actor, cancellationToken);

    private async Task<ActionOutcome> RunAsync(
        string studyId,
        bool optIn,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (!StudyIds.IsValid(studyId))
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        var outcome = await retry.RunAsync(c => TryFlagAsync(studyId, optIn, actor, c), cancellationToken);
        if (outcome is not ActionOutcome.Done { Answer: OptOutAnswer answer } done)
            return outcome;
        // Opting in opens the waves again in steps of their own (each its row, its ETag, its audit line); a repeat
        // does whatever a crash left undone.
        var resumed = new List<string>();
        if (optIn)
        {
            foreach (var wave in Waves.All)
            {
                var step = await retry.RunAsync(c => TryResumeAsync(answer.StudyId, wave, actor, c), cancellationToken);
                if (step is ActionOutcome.Busy)
                    return step;
                if (step is ActionOutcome.Done { Changed: true })
                    resumed.Add(wave.Code());
            }
        }
        await review.ReviewAsync(answer.StudyId, cancellationToken);
        var changed = done.Changed || resumed.Count > 0;
        return new ActionOutcome.Done(answer with { Resumed = resumed, Changed = changed }, changed);
    }

    private async Task<ActionOutcome> TryFlagAsync(
        string studyId,
        bool optIn,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await ActivePatients.ReadAsync(storage.Patients, studyId, cancellationToken) is not { } patient)
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        var id = patient.GetString("StudyId")!;
        var optedOutAt = patient.GetDateTimeOffset("OptedOutAt");
        if ((optedOutAt is null) == optIn)
            return new ActionOutcome.Done(new OptOutAnswer(id, optedOutAt, [], false), false);

        var now = clock.GetUtcNow();
        TableTransactionAction change;
        string details;
        if (optIn)
        {
            // A merge cannot remove a column: the record is replaced, without OptedOutAt, under its ETag.
            var replaced = new TableEntity(patient.PartitionKey, patient.RowKey);
            foreach (var (key, value) in patient)
            {
                if (key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" or "OptedOutAt"))
                    replaced[key] = value;
            }
            change = new(TableTransactionActionType.UpdateReplace, replaced, patient.ETag);
            details = $$"""{"optedOutAt":"{{optedOutAt:O}}"}""";
        }
        else
        {
            var merged = new TableEntity(patient.PartitionKey, patient.RowKey) { ["OptedOutAt"] = now };
            change = new(TableTransactionActionType.UpdateMerge, merged, patient.ETag);
            details = """{"by":"coordinator"}""";
        }
        await storage.Patients.SubmitTransactionAsync(
            [
                change,
                new(
                    TableTransactionActionType.Add,
                    AuditEntry.Of(now, actor, optIn ? OptedIn : OptedOut, details).ToEntity(patient.PartitionKey)
                ),
            ],
            cancellationToken
        );
        return new ActionOutcome.Done(new OptOutAnswer(id, optIn ? null : now, [], true), true);
    }

    /// <summary>
    /// Opens a wave again that the opt-out skipped, if its window is still open (else it stays skipped).
    /// </summary>
    private async Task<ActionOutcome> TryResumeAsync(
        string studyId,
        Wave wave,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await store.ReadAsync(studyId, wave, cancellationToken) is not { } context)
            return new ActionOutcome.Done(wave, false);
        var w = context.Wave;
        var resumable =
            w.Status == WaveStatus.Skipped
            && w.SkipReason == "optedOut"
            && context.Standing.OptedOutAt is null
            && FollowUpRules.SkipReason(context.Standing) is null
            && clinic.Today() <= w.ClosesOn;
        if (!resumable)
            return new ActionOutcome.Done(wave, false);
        var state = WaveRules.ReopenedState(w);
        await store.ChangeAsync(
            context,
            new Dictionary<string, object?> { ["State"] = state, ["SkipReason"] = null },
            actor,
            WaveResumed,
            new { to = state, closesOn = w.ClosesOn },
            clock.GetUtcNow(),
            cancellationToken
        );
        return new ActionOutcome.Done(wave, true);
    }
}
