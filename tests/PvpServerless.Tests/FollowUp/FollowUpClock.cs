using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// The follow-up tests' clock: a <see cref="FakeTimeProvider"/> moved by clinic days, that can also drive one piece
/// of work through its timers (a retry's wait), advancing by each wait as it is created instead of sleeping.
/// </summary>
public sealed class FollowUpClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Runs <paramref name="work"/> to its end, advancing by each timer's due time as it is created, except timers of
    /// <paramref name="ignore"/> (a timeout that should not fire). Returns the waits taken.
    /// </summary>
    public async Task<IReadOnlyList<TimeSpan>> DriveAsync(
        Task work,
        TimeSpan ignore,
        CancellationToken cancellationToken
    )
    {
        var waits = new List<TimeSpan>();
        while (!work.IsCompleted)
        {
            // A read cancelled when the work ends takes nothing from the channel, so the next drive sees every timer.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var next = _created.Reader.ReadAsync(stop.Token).AsTask();
            if (await Task.WhenAny(work, next) == work)
            {
                await stop.CancelAsync();
                break;
            }
            var due = await next;
            if (due == ignore || due <= TimeSpan.Zero || due == Timeout.InfiniteTimeSpan)
                continue;
            waits.Add(due);
            Advance(due);
            if (waits.Count > 50)
                throw new InvalidOperationException("More than 50 waits: the code under test does not stop.");
        }
        await work;
        return waits;
    }
}
