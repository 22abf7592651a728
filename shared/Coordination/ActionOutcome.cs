using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Coordination;

/// <summary>
/// What a coordinator action did (docs/coordination.md). Every action is idempotent: a repeat of the same request
/// finds its effect already there and answers <see cref="Done"/> with <c>Changed</c> false, writing nothing.
/// </summary>
public abstract record ActionOutcome
{
    /// <summary>
    /// The action's answer; <c>Changed</c> false: it was in effect before (a repeat), nothing written.
    /// </summary>
    public sealed record Done(object Answer, bool Changed, string? ETag = null) : ActionOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : ActionOutcome;

    public sealed record NotFound(string Detail) : ActionOutcome;

    /// <summary>The request contradicts what is stored; <c>Field</c> names the field.</summary>
    public sealed record Conflict(string Field, string Message) : ActionOutcome;

    /// <summary>The caller's <c>If-Match</c> names a version that is no longer stored: 412, nothing written.</summary>
    public sealed record Stale(string Message) : ActionOutcome;

    /// <summary>Every attempt lost a race (or storage was away): nothing was stored, send it again later.</summary>
    public sealed record Busy(TimeSpan RetryAfter) : ActionOutcome;

    public static Invalid Bad(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return new Invalid(errors.ToDictionary());
    }
}

/// <summary>
/// Runs one attempt of an action again after a lost race (read again, decide again), as every write of the API does
/// (docs/storage.md, "Concurrency"); after the last attempt, <see cref="ActionOutcome.Busy"/>. Storage away is
/// <see cref="ActionOutcome.Busy"/> at once: the SDK has retried already (docs/evidence.md, "Faults").
/// </summary>
public sealed class ActionRetry(Contention contention)
{
    public async Task<ActionOutcome> RunAsync(
        Func<CancellationToken, Task<ActionOutcome>> attempt,
        CancellationToken cancellationToken
    )
    {
        for (var i = 0; i < Contention.Attempts; i++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                await contention.PauseAsync(i, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                return new ActionOutcome.Busy(Contention.RetryAfter);
            }
        }
        return new ActionOutcome.Busy(Contention.RetryAfter);
    }
}
