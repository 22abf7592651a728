using Azure.Core;

namespace PvpServerless.Storage;

/// <summary>
/// The Azure SDK's own retries of one storage call (configuration section <c>Storage:Retry</c>), the same for every
/// client. Bounded so that a request meeting an outage hears 503 in about a second rather than after the SDK's
/// defaults (up to 26 s a call, measured: docs/evidence.md, "Faults"); patience beyond that belongs to the paths that
/// can afford it (the sender waits for storage to record an e-mail's outcome; the timers run again).
/// </summary>
public sealed class StorageRetryOptions
{
    /// <summary>
    /// The most the pauses between one call's tries may add up to: a request's storage call then fails within this
    /// (plus the tries themselves) and is answered 503, well inside the 5 s a patient at a page is asked to wait.
    /// </summary>
    public static readonly TimeSpan MaxTotalPause = TimeSpan.FromSeconds(3);

    /// <summary>Retries after the first try (0–5).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first pause; each next one doubles (exponential, the SDK's ±20 % jitter).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest single pause.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one try may wait for storage's answer. Table Storage ends a query page at 5 s itself and our blobs
    /// are small (reports of a few hundred KB), so 10 s only cuts off a storage that does not answer at all.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest that one call's pauses can add up to (jitter included).</summary>
    public TimeSpan WorstTotalPause()
    {
        var total = TimeSpan.Zero;
        for (var retry = 0; retry < MaxRetries; retry++)
        {
            var pause = Math.Min(MaxDelay.TotalMilliseconds, Delay.TotalMilliseconds * Math.Pow(2, retry));
            total += TimeSpan.FromMilliseconds(pause * 1.2);
        }
        return total;
    }

    /// <summary>These settings on an SDK client's options.</summary>
    public T ApplyTo<T>(T options)
        where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = Delay;
        options.Retry.MaxDelay = MaxDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }
}
