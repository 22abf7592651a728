using Microsoft.Extensions.Logging;

namespace PvpServerless.Telemetry;

/// <summary>
/// Wraps the host's logger factory: every logger it hands out scrubs before any provider (console, the Functions
/// host, OpenTelemetry) sees the entry. Providers, filters and scopes stay the inner factory's.
/// </summary>
internal sealed class ScrubbingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new ScrubbingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class ScrubbingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(ScrubScope(state));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            if (!inner.IsEnabled(logLevel))
                return;
            inner.Log(
                logLevel,
                eventId,
                ScrubbedLogState.From(state, exception, formatter),
                ScrubbedException.From(exception),
                static (s, _) => s.Message
            );
        }

        private static object ScrubScope(object state) =>
            state switch
            {
                string text => LogScrubber.Scrub(text),
                IEnumerable<KeyValuePair<string, object?>> pairs => pairs
                    .Select(p => new KeyValuePair<string, object?>(p.Key, LogScrubber.ScrubValue(p.Key, p.Value)))
                    .ToList(),
                _ => LogScrubber.Scrub(state.ToString() ?? ""),
            };
    }
}
