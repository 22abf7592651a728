using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace PvpServerless.Tests.Email;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer created on it, so a test can wait until code is really
/// waiting (e.g. a retry delay) and then move time by exactly that much, instead of guessing with real sleeps.
/// </summary>
public sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Runs <paramref name="work"/> to the end, advancing the clock by each timer's due time as it is created, except
    /// timers of <paramref name="ignore"/> (a timeout that should not fire). Returns the waits taken, in order.
    /// </summary>
    public async Task<(T Result, IReadOnlyList<TimeSpan> Waits)> DriveAsync<T>(
        Task<T> work,
        TimeSpan ignore,
        CancellationToken cancellationToken
    )
    {
        var waits = new List<TimeSpan>();
        while (!work.IsCompleted)
        {
            var next = _created.Reader.ReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(work, next) == work)
                break;
            var due = await next;
            if (due == ignore || due == Timeout.InfiniteTimeSpan)
                continue;
            waits.Add(due);
            Advance(due);
            if (waits.Count > 50)
                throw new InvalidOperationException("More than 50 waits: the code under test does not stop.");
        }
        return (await work, waits);
    }
}
