using Azure;
using Azure.Data.Tables;

namespace PvpServerless.Storage;

/// <summary>
/// What optimistic concurrency does when it loses a race: read again and decide again, after a pause that grows
/// and is spread at random ("full jitter"), so that racing writers stop colliding instead of retrying in step.
/// When every attempt loses, the caller answers 503 with <see cref="RetryAfter"/>: the request is sound, the
/// moment is not (see docs/storage.md, "Concurrency").
/// </summary>
public sealed class Contention(TimeProvider clock)
{
    public const int Attempts = 8;

    /// <summary>What a client is told to wait when every attempt lost.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(15);
    private static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// The pause before attempt <paramref name="attempt"/> + 1: uniform in [0, min(cap, base·2^attempt)].
    /// </summary>
    public static TimeSpan Delay(int attempt, double unit)
    {
        var ceiling = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(ceiling * Math.Clamp(unit, 0, 1));
    }

    public Task PauseAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Delay(attempt, Random.Shared.NextDouble()), clock, cancellationToken);

    /// <summary>
    /// How long the one path that must not give up waits for storage to come back: the sender recording what became
    /// of an e-mail it has sent (else the claim runs out and the e-mail goes again). With the send's own minute at
    /// most, this keeps inside the least claim timeout (2 min). HTTP paths do not wait: they answer 503 at once.
    /// </summary>
    public static readonly TimeSpan OutagePatience = TimeSpan.FromSeconds(45);

    /// <summary>The pause before try <paramref name="attempt"/> + 1 while storage is away: 0.5 s doubling, to 5 s.
    /// </summary>
    public static TimeSpan OutagePause(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(5_000, 500 * Math.Pow(2, Math.Min(attempt, 10))));

    /// <summary>Waits <see cref="OutagePause"/>; returns the pause taken.</summary>
    public async Task<TimeSpan> WaitForStorageAsync(int attempt, CancellationToken cancellationToken)
    {
        var pause = OutagePause(attempt);
        await Task.Delay(pause, clock, cancellationToken);
        return pause;
    }

    /// <summary>A write lost a race: the row changed (412), or appeared (409), since it was read.</summary>
    public static bool IsLostRace(Exception ex) =>
        ex switch
        {
            TableTransactionFailedException t => t.Status is 409 or 412,
            RequestFailedException r => r.Status is 409 or 412,
            _ => false,
        };

    /// <summary>Storage itself is busy or away (throttled, timed out, unreachable): worth a later retry.</summary>
    public static bool IsUnavailable(Exception ex) =>
        ex switch
        {
            RequestFailedException { Status: 0 or 408 or 429 or 500 or 502 or 503 or 504 } => true,
            HttpRequestException => true,
            // Out of tries, the SDK throws every attempt's failure together: status 0 each when storage is
            // unreachable (docs/evidence.md, "Faults").
            AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsUnavailable),
            _ => false,
        };
}
