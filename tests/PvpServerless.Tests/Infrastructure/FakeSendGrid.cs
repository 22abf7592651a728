using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PvpServerless.Tests.Infrastructure;

/// <summary>
/// A stand-in for SendGrid's v3 API at the edge of the world: Kestrel on a free 127.0.0.1 port speaking
/// <c>POST /v3/mail/send</c>. It records every request, checks the Bearer key (401 otherwise) and answers from a
/// queue of scripted responses; with the queue empty, 202 with a fresh X-Message-Id. A storm
/// (<see cref="StartStorm"/>) answers every request alike until it is stopped, before the queue is looked at.
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    public const string ApiKey = "SG.fake-test-key";

    /// <summary>How long a hanging response waits at most, so a test that forgets it cannot hang the run.</summary>
    public static readonly TimeSpan LongestHang = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<Scripted> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<RecordedRequest> _accepted = new();
    private readonly Channel<RecordedRequest> _hangs = Channel.CreateUnbounded<RecordedRequest>();
    private volatile Scripted? _storm;
    private readonly CancellationTokenSource _stopping = new();
    private int _sent;

    /// <summary>One request as it arrived, with the <see cref="TimeProvider"/>'s time of arrival.</summary>
    public sealed record RecordedRequest(
        string Method,
        string Path,
        IReadOnlyDictionary<string, string> Headers,
        string Body,
        DateTimeOffset ReceivedAt
    )
    {
        public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("Empty body.");
    }

    /// <summary>A scripted answer: status, optional Retry-After, body and headers, or a hang.</summary>
    public sealed record Scripted(
        int Status,
        string? RetryAfter = null,
        string? Body = null,
        IReadOnlyDictionary<string, string>? Headers = null,
        bool Hang = false
    );

    private FakeSendGrid(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>http://127.0.0.1:{port}: the value for <c>Email:SendGridHost</c>.</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>The requests answered 2xx: the e-mails SendGrid took, in order of arrival.</summary>
    public IReadOnlyList<RecordedRequest> Accepted => [.. _accepted];

    /// <summary>Each request as its hang begins (the client is now waiting for its own timeout).</summary>
    public ChannelReader<RecordedRequest> Hangs => _hangs.Reader;

    /// <summary>
    /// Runs before a 2xx answer goes out (the e-mail is taken; the client does not know yet): a test stops storage or
    /// the host at that worst moment.
    /// </summary>
    public Func<RecordedRequest, Task>? BeforeAccepting { get; set; }

    /// <summary>From now on every request gets <paramref name="answer"/> (a 429 or 500 storm, or a hang).</summary>
    public void StartStorm(Scripted answer) => _storm = answer;

    /// <summary>Back to the scripted queue and 202.</summary>
    public void StopStorm() => _storm = null;

    public static async Task<FakeSendGrid> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeSendGrid(app, clock ?? TimeProvider.System);
        app.MapPost("/v3/mail/send", fake.HandleAsync);
        await app.StartAsync();
        fake.Url = app.Urls.Single(); // the port Kestrel chose
        return fake;
    }

    public void Enqueue(params Scripted[] responses)
    {
        foreach (var response in responses)
            _script.Enqueue(response);
    }

    /// <summary>SendGrid's error body: <c>{"errors":[{"message":…,"field":…,"help":null}]}</c>.</summary>
    public static string ErrorBody(string message, string? field = null) =>
        new JsonObject
        {
            ["errors"] = new JsonArray(
                new JsonObject
                {
                    ["message"] = message,
                    ["field"] = field,
                    ["help"] = null,
                }
            ),
        }.ToJsonString();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new RecordedRequest(
                context.Request.Method,
                context.Request.Path,
                context.Request.Headers.ToDictionary(
                    h => h.Key,
                    h => h.Value.ToString(),
                    StringComparer.OrdinalIgnoreCase
                ),
                body,
                _clock.GetUtcNow()
            );
        _requests.Enqueue(request);
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            await Answer(
                context,
                new Scripted(401, Body: ErrorBody("The provided authorization grant is invalid, expired, or revoked"))
            );
            return;
        }
        var next =
            _storm
            ?? (_script.TryDequeue(out var scripted) ? scripted : new Scripted(202));
        if (next.Hang)
        {
            _hangs.Writer.TryWrite(request);
            // Until the client gives up (its timeout closes the connection) or the bound runs out.
            using var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(LongestHang, hang.Token);
            }
            catch (OperationCanceledException) { }
            // The bound ran out with the client still there: a gateway timeout, never a silent 200.
            if (!context.RequestAborted.IsCancellationRequested)
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            return;
        }
        if (next.Status is >= 200 and < 300)
        {
            _accepted.Enqueue(request);
            if (BeforeAccepting is { } before)
                await before(request);
        }
        await Answer(context, next);
    }

    private async Task Answer(HttpContext context, Scripted scripted)
    {
        context.Response.StatusCode = scripted.Status;
        if (scripted.Status is >= 200 and < 300)
            context.Response.Headers["X-Message-Id"] = $"fake-{Interlocked.Increment(ref _sent)}";
        if (scripted.RetryAfter is not null)
            context.Response.Headers.RetryAfter = scripted.RetryAfter;
        foreach (var (name, value) in scripted.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        if (scripted.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(scripted.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        _stopping.Dispose();
        await _app.DisposeAsync();
    }
}
