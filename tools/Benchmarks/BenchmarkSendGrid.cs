using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PvpServerless.Benchmarks;

/// <summary>
/// SendGrid's <c>POST /v3/mail/send</c> on a free 127.0.0.1 port, answered 202 with a message id (401 for another
/// key): the tests' fake (tests/…/Infrastructure/FakeSendGrid.cs) without its recording and scripting.
/// </summary>
internal sealed class BenchmarkSendGrid(WebApplication app) : IAsyncDisposable
{
    public const string ApiKey = "SG.benchmark-key";

    private int _requests;

    /// <summary>http://127.0.0.1:{port}, the port Kestrel chose: the value for <c>Email:SendGridHost</c>.</summary>
    public string Url => app.Urls.Single();

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<BenchmarkSendGrid> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new BenchmarkSendGrid(app);
        app.MapPost("/v3/mail/send", fake.AnswerAsync);
        await app.StartAsync(cancellationToken);
        return fake;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        await reader.ReadToEndAsync(context.RequestAborted);
        var n = Interlocked.Increment(ref _requests);
        context.Response.StatusCode = context.Request.Headers.Authorization == $"Bearer {ApiKey}" ? 202 : 401;
        context.Response.Headers["X-Message-Id"] = $"bench-{n}";
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
