namespace PvpServerless.Cli;

/// <summary>
/// Standard streams, passed in so that commands can be tested without a process. Progress is drawn live only on a
/// terminal; elsewhere (CI, tests, a pipe) it is written as plain lines.
/// </summary>
public sealed record CliConsole(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    bool OutIsTerminal = false,
    bool ErrorIsTerminal = false
)
{
    public static CliConsole System
    {
        get
        {
            var capable = Environment.GetEnvironmentVariable("TERM") != "dumb";
            return new(
                Console.In,
                Console.Out,
                Console.Error,
                capable && !Console.IsOutputRedirected,
                capable && !Console.IsErrorRedirected
            );
        }
    }
}

/// <summary>What every verb is given: the streams, the clock, and the token of a second Ctrl-C ("stop now").</summary>
/// <param name="StopNow">
/// Cancelled by a second Ctrl-C or SIGTERM: whatever is still waiting for requests in flight stops waiting.
/// </param>
public sealed record CliContext(CliConsole Console, TimeProvider Clock, CancellationToken StopNow = default);
