using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PvpServerless.Functions;
using PvpServerless.Telemetry;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// Nothing a log store must not hold gets past the scrubber: e-mail addresses, tokens and keys, CPR numbers, and free
/// text named as such. What operators need (study ids, dates, GUIDs, counts, function names) stays.
/// </summary>
public sealed class LogScrubberTests
{
    [Theory]
    [InlineData("sent to anna.hansen+pvp@example.dk today", "sent to [email] today")]
    [InlineData("GET /api/unsubscribe?to=anna%40example.dk", "GET /api/unsubscribe?to=[email]")]
    [InlineData(
        "https://pvpdata.blob.core.windows.net/reports/x.pdf?sv=2025-01-05&se=2026-11-29T10%3A00Z&sig=AbC%2Bdef123%3D",
        "https://pvpdata.blob.core.windows.net/reports/x.pdf?sv=2025-01-05&se=2026-11-29T10%3A00Z&sig=[redacted]"
    )]
    [InlineData("POST /api/patients?code=Zm9vYmFyYmF6cXV4", "POST /api/patients?code=[redacted]")]
    [InlineData("Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]")]
    [InlineData("token eyJhbGciOiJub25lIn0.eyJvaWQiOiIxIn0.sig in header", "token [token] in header")]
    [InlineData("key SG.abcdefghijklmnop.qrstuvwxyz0123456789ABCD used", "key [secret] used")]
    [InlineData(
        "AccountName=pvpdata;AccountKey=Eby8vdM02xNOcqF+/lqUw==;",
        "AccountName=pvpdata;AccountKey=[redacted];"
    )]
    [InlineData("{\"password\": \"hunter2\"}", "{\"password\": \"[redacted]\"}")]
    [InlineData("GET /api/survey/q7Vx2LmN9pR4sT1uW8yZ3bC6dF0gH5jK", "GET /api/survey/[token]")]
    // A token without a digit (one in 1,500), in a path and on its own; a truncated one in a path.
    [InlineData(
        "Request starting HTTP/1.1 GET http://127.0.0.1:7071/api/survey/"
            + "qVxLmNpRsTuWyZbCdFgHjKaBcDeFgHiJkLmNoPqRsTu/opt-out?lang=da",
        "Request starting HTTP/1.1 GET http://127.0.0.1:7071/api/survey/[token]/opt-out?lang=da"
    )]
    [InlineData("link qVxLmNpRsTuWyZbCdFgHjKaBcDeFgHiJkLmNoPqRsT_ sent", "link [token] sent")]
    [InlineData("POST /api/survey/qVxLmNpRs HTTP/1.1", "POST /api/survey/[token] HTTP/1.1")]
    [InlineData("study id 010190-1234 looks like a CPR number", "study id [cpr] looks like a CPR number")]
    [InlineData("cpr 0101901234 without dash", "cpr [cpr] without dash")]
    public void Scrub_takes_out_addresses_secrets_tokens_and_cpr_numbers(string text, string expected) =>
        Assert.Equal(expected, LogScrubber.Scrub(text));

    [Theory]
    [InlineData("Nightly report for cut-off 2026-11-28: 300 patients, 15 files, 7 pages, 00:00:07.7")]
    [InlineData("Enrolled PVP-0042-ab12 (wave 3m due 2026-02-28)")]
    [InlineData("Executed 'Functions.NightlyReport' (Succeeded, Id=3f2504e0-4f89-11d3-9a0c-0305e82c3301)")]
    [InlineData("reports/2026/11/28/outcomes.pdf 1732924800 bytes")]
    [InlineData("https://pvpdatamb7x3k2q.table.core.windows.net/Patients()")]
    [InlineData("404 The specified blob does not exist. x-ms-error-code: BlobNotFound")]
    [InlineData("GET /api/survey/pages.css 200")]
    [InlineData("Executing endpoint 'HTTP: GET /api/reports/latest/{file}'")]
    public void Scrub_leaves_what_operators_need(string text) => Assert.Equal(text, LogScrubber.Scrub(text));

    [Fact]
    public void A_logged_message_is_rendered_again_with_sensitive_values_redacted_and_others_kept()
    {
        var (logger, sink) = Logger(services => services.AddLogScrubbing());

        logger.LogInformation(
            "Invitation {Wave} for {StudyId} sent to {Email}: {Comment} ({Count:D3})",
            "3m",
            "PVP-0001",
            "anna@example.dk",
            "my back hurts since the fall",
            7
        );

        var entry = Assert.Single(sink.Entries);
        Assert.Equal("Invitation 3m for PVP-0001 sent to [redacted]: [redacted] (007)", entry.Message);
        Assert.Equal("[redacted]", entry.Values["Email"]);
        Assert.Equal("[redacted]", entry.Values["Comment"]);
        Assert.Equal("PVP-0001", entry.Values["StudyId"]);
        Assert.Equal(7, entry.Values["Count"]);
        Assert.DoesNotContain("example.dk", entry.ToString());
    }

    [Fact]
    public void A_structured_value_that_is_a_struct_is_scrubbed_like_text()
    {
        var (logger, sink) = Logger(services => services.AddLogScrubbing());

        // ASP.NET Core's "Request starting" entry carries the path as a PathString.
        logger.LogInformation(
            "Request to {Path} at {Time}",
            new Microsoft.AspNetCore.Http.PathString("/api/survey/q7Vx2LmN9pR4sT1uW8yZ3bC6dF0gH5jK/opt-out"),
            new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)
        );

        var entry = Assert.Single(sink.Entries);
        Assert.Equal("/api/survey/[token]/opt-out", entry.Values["Path"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), entry.Values["Time"]);
    }

    [Fact]
    public void Exceptions_and_scopes_are_scrubbed_and_an_exception_with_nothing_to_hide_is_logged_as_it_is()
    {
        var (logger, sink) = Logger(services => services.AddLogScrubbing());
        var leaky = new InvalidOperationException(
            "SendGrid refused anna@example.dk",
            new HttpRequestException("https://api.example.com/v3/mail/send?code=abc123def")
        );
        var plain = new TimeoutException("Table Storage did not answer in 30 s");

        using (
            logger.BeginScope(new Dictionary<string, object?> { ["Recipient"] = "anna@example.dk", ["Wave"] = "1y" })
        )
        {
            logger.LogError(leaky, "Sending failed");
        }
        logger.LogError(plain, "Read failed");

        var failed = sink.Entries[0];
        Assert.DoesNotContain("anna@example.dk", failed.Exception!.ToString());
        Assert.DoesNotContain("abc123def", failed.Exception.ToString());
        Assert.StartsWith("System.InvalidOperationException: SendGrid refused [email]", failed.Exception.Message);
        Assert.Equal("[redacted]", failed.Scope["Recipient"]);
        Assert.Equal("1y", failed.Scope["Wave"]);
        Assert.Same(plain, sink.Entries[1].Exception);
    }

    [Fact]
    public void The_functions_hosts_scrub_with_every_provider_whenever_it_was_added()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }
            )
            .Build();
        var early = new CapturingProvider();
        var late = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(early));
        // What the worker and the local host both call.
        services.AddPvpFunctions(configuration);
        services.AddLogging(logging => logging.AddProvider(late));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ILogger<LogScrubberTests>>().LogWarning("Bounce from {Address}", "b@example.org");

        Assert.Equal("Bounce from [redacted]", Assert.Single(early.Entries).Message);
        Assert.Equal("Bounce from [redacted]", Assert.Single(late.Entries).Message);
    }

    [Fact]
    public void Span_names_tags_and_status_are_scrubbed_before_export()
    {
        using var activity = new Activity("GET /api/survey/q7Vx2LmN9pR4sT1uW8yZ3bC6dF0gH5jK");
        activity.SetTag("url.path", "/api/survey/q7Vx2LmN9pR4sT1uW8yZ3bC6dF0gH5jK");
        activity.SetTag("url.query", "code=Zm9vYmFyYmF6cXV4");
        activity.SetTag("enduser.email", "anna@example.dk");
        activity.SetTag("http.response.status_code", 200);
        activity.SetStatus(ActivityStatusCode.Error, "no contact for anna@example.dk");

        new ScrubbingActivityProcessor().OnEnd(activity);

        Assert.Equal("GET /api/survey/[token]", activity.DisplayName);
        Assert.Equal("/api/survey/[token]", activity.GetTagItem("url.path"));
        Assert.Equal("code=[redacted]", activity.GetTagItem("url.query"));
        Assert.Equal("[redacted]", activity.GetTagItem("enduser.email"));
        Assert.Equal(200, activity.GetTagItem("http.response.status_code"));
        Assert.Equal("no contact for [email]", activity.StatusDescription);
    }

    private static (ILogger Logger, CapturingProvider Sink) Logger(Action<IServiceCollection> scrub)
    {
        var sink = new CapturingProvider();
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(sink));
        scrub(services);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ILogger<LogScrubberTests>>(), sink);
    }

    public sealed record Entry(
        string Message,
        IReadOnlyDictionary<string, object?> Values,
        Exception? Exception,
        IReadOnlyDictionary<string, object?> Scope
    );

    /// <summary>A log provider that keeps what reaches it, as a log store would, scopes included.</summary>
    public sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<Entry> _entries = new();
        private IExternalScopeProvider? _scopes;

        public IReadOnlyList<Entry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Capturing(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose() { }

        private sealed class Capturing(CapturingProvider owner) : ILogger
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
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? pairs.ToDictionary(p => p.Key, p => p.Value)
                    : [];
                var scope = new Dictionary<string, object?>();
                owner._scopes?.ForEachScope(
                    (s, into) =>
                    {
                        if (s is IEnumerable<KeyValuePair<string, object?>> items)
                        {
                            foreach (var (key, value) in items)
                            {
                                into[key] = value;
                            }
                        }
                    },
                    scope
                );
                owner._entries.Enqueue(new Entry(formatter(state, exception), values, exception, scope));
            }
        }
    }
}
