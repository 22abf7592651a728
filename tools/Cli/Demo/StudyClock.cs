namespace PvpServerless.Cli.Demo;

/// <summary>
/// The demo's clock, given to the local host as its <see cref="TimeProvider"/>: it follows the system clock until the
/// study sets it, then stands where it was set. So the scheduler, the sender and the survey pages all see the simulated
/// day, and the machine's own clock is never touched.
/// </summary>
public sealed class StudyClock : TimeProvider
{
    // UTC ticks; 0 = not set. A long, so a request thread never reads half of a value being written.
    private long _ticks;

    public void Set(DateTimeOffset now) => Volatile.Write(ref _ticks, now.UtcTicks);

    /// <summary>Back to the system's clock: links the host signs from then on are valid in real time.</summary>
    public void Release() => Volatile.Write(ref _ticks, 0);

    public override DateTimeOffset GetUtcNow() =>
        Volatile.Read(ref _ticks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : System.GetUtcNow();
}
