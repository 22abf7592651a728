using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PvpServerless.Telemetry;

namespace PvpServerless.Tests.Privacy;

/// <summary>
/// Everything a log store or a trace exporter would receive during a test: every log entry at every level (message,
/// structured values, exception with its inner ones and stack, scopes) and every span as an exporter sees it after
/// the production pipeline's <see cref="ScrubbingActivityProcessor"/> (name, tags, status, events, baggage).
/// </summary>
public sealed class TelemetryCapture : ILoggerProvider, ISupportExternalScope, IDisposable
{
    private readonly ConcurrentQueue<Record> _records = new();
    private readonly ActivityListener _spans;
    private readonly ScrubbingActivityProcessor _scrubbing = new();
    private IExternalScopeProvider? _scopes;

    public TelemetryCapture()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Exported,
        };
        ActivitySource.AddActivityListener(_spans);
    }

    /// <summary>One thing that left the process: where it came from and all its text.</summary>
    public sealed record Record(string Kind, string Source, IReadOnlyList<string> Texts);

    public IReadOnlyList<Record> Records => [.. _records];

    public IEnumerable<Record> Logs => Records.Where(r => r.Kind == "log");

    public IEnumerable<Record> Spans => Records.Where(r => r.Kind == "span");

    /// <summary>Every record holding one of <paramref name="secrets"/> (any case), with the secret it holds.</summary>
    public IEnumerable<string> Leaks(IEnumerable<string> secrets)
    {
        // One pattern of all secrets: a scan of ~100,000 texts for ~200 secrets in seconds, not minutes.
        var any = new Regex(
            string.Join("|", secrets.Where(s => s.Length > 0).Distinct().Select(Regex.Escape)),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled
        );
        foreach (var record in Records)
        {
            foreach (var text in record.Texts)
            {
                foreach (var secret in any.Matches(text).Select(m => m.Value).Distinct())
                    yield return $"{record.Kind} {record.Source}: \"{secret}\" in \"{Shorten(text)}\"";
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private void Exported(Activity activity)
    {
        // What Program.cs puts before the exporter.
        _scrubbing.OnEnd(activity);
        var texts = new List<string> { activity.DisplayName, activity.OperationName };
        texts.AddRange(activity.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        texts.AddRange(activity.Baggage.Select(b => $"{b.Key}={b.Value}"));
        if (activity.StatusDescription is { } status)
            texts.Add(status);
        foreach (var e in activity.Events)
        {
            texts.Add(e.Name);
            texts.AddRange(e.Tags.Select(t => $"{t.Key}={t.Value}"));
        }
        _records.Enqueue(new Record("span", activity.Source.Name, texts));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _spans.Dispose();

    private sealed class Logger(TelemetryCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            var texts = new List<string> { formatter(state, exception) };
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                texts.AddRange(values.Select(v => $"{v.Key}={Text(v.Value)}"));
            if (exception is not null)
                texts.Add(exception.ToString());
            owner._scopes?.ForEachScope((scope, into) => into.Add(Text(scope)), texts);
            owner._records.Enqueue(new Record("log", $"{category} ({logLevel})", texts));
        }

        private static string Text(object? value) =>
            value switch
            {
                null => "",
                string s => s,
                IEnumerable<KeyValuePair<string, object?>> pairs => string.Join(
                    "; ",
                    pairs.Select(p => $"{p.Key}={Text(p.Value)}")
                ),
                _ => value.ToString() ?? "",
            };
    }
}

/// <summary>The Azure SDK reports storage calls as spans only if this is on before its first client.</summary>
internal static class AzureSdkSpans
{
    [ModuleInitializer]
    internal static void SwitchOn() => AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
}
