namespace PvpServerless.Telemetry;

/// <summary>
/// An exception as it may be logged: its message and stack trace scrubbed, its type named in the message. Only made
/// when scrubbing changed something; otherwise the original exception is logged as it is.
/// </summary>
public sealed class ScrubbedException : Exception
{
    private readonly string? _stackTrace;

    private ScrubbedException(Exception original, Exception? inner)
        : base($"{original.GetType().FullName}: {LogScrubber.Scrub(original.Message)}", inner)
    {
        OriginalType = original.GetType().FullName ?? original.GetType().Name;
        _stackTrace = original.StackTrace is { } trace ? LogScrubber.Scrub(trace) : null;
        HResult = original.HResult;
    }

    public string OriginalType { get; }

    public override string? StackTrace => _stackTrace;

    public override string ToString() =>
        Message
        + (InnerException is { } inner ? $" ---> {inner}{Environment.NewLine}   --- End of inner exception ---" : "")
        + (_stackTrace is null ? "" : Environment.NewLine + _stackTrace);

    public static Exception? From(Exception? exception)
    {
        if (exception is null or ScrubbedException)
            return exception;
        var inner = From(exception.InnerException);
        var clean =
            ReferenceEquals(inner, exception.InnerException)
            && LogScrubber.Scrub(exception.Message) == exception.Message
            && (exception.StackTrace is null || LogScrubber.Scrub(exception.StackTrace) == exception.StackTrace);
        return clean ? exception : new ScrubbedException(exception, inner);
    }
}
