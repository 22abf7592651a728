using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using PvpServerless.Email;
using PvpServerless.LocalHost;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// The real local host (as <see cref="HostFixture"/> builds it) over a <see cref="FaultAzurite"/>, on a port it keeps
/// across restarts: <see cref="KillAsync"/> stops it without letting its work finish (the functions in flight are
/// cancelled, queue messages they held stay hidden until their visibility runs out), <see cref="StartAsync"/> starts a
/// new one over the same storage.
/// </summary>
public sealed class FaultHost(
    FaultAzurite azurite,
    string prefix,
    IReadOnlyDictionary<string, string?> settings,
    TimeProvider? clock = null
) : IAsyncDisposable
{
    private WebApplication? _app;
    private HttpClient? _client;
    private HttpClient? _anonymous;

    public string Url { get; } = $"http://127.0.0.1:{Azurite.FreePort()}";

    /// <summary>A client with the coordinator's (function) key.</summary>
    public HttpClient Client => _client ??= NewClient(HostFixture.FunctionKey);

    public HttpClient Anonymous => _anonymous ??= NewClient(null);

    public string Prefix => prefix;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Not running.");

    private HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(3) };
        if (key is not null)
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    public async Task StartAsync()
    {
        _app = LocalFunctionsHost.Build(
            new LocalHostSettings
            {
                Url = Url,
                Clock = clock,
                ExtraAssemblies = [typeof(HostFixture).Assembly],
                ShutdownTimeout = TimeSpan.Zero,
                Values = new Dictionary<string, string?>(settings)
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Storage:NamePrefix"] = prefix,
                    ["LocalHost:FunctionKeys:default"] = HostFixture.FunctionKey,
                    ["LocalHost:MasterKey"] = HostFixture.MasterKey,
                    ["LocalHost:RunTimers"] = "false",
                    ["TestQueueName"] = prefix + "-work",
                    ["TestSchedule"] = "*/1 * * * * *",
                    ["NightlyReportSchedule"] = "0 0 2 * * *",
                    ["ScheduleFollowUpsSchedule"] = "0 */15 * * * *",
                    ["InvitationsQueue"] = prefix + "-invitations",
                    ["FollowUp:TokenKey"] = HostFixture.TokenKey,
                },
            }
        );
        await _app.StartAsync();
    }

    /// <summary>Stops the host at once: no grace for the requests and queue messages in flight.</summary>
    public async Task KillAsync()
    {
        // Taken at once: a kill from SendGrid's hook and the test's own dispose may meet.
        if (Interlocked.Exchange(ref _app, null) is not { } app)
            return;
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        try
        {
            await app.StopAsync(now.Token);
        }
        catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }

    /// <summary>Runs a timer or queue function through the admin route, waiting; the answer's status.</summary>
    public async Task<int> RunAsync(string function, string input, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{function}")
        {
            Content = JsonContent.Create(new { input }),
            Headers = { { "x-functions-key", HostFixture.MasterKey }, { "x-pvp-wait", "true" } },
        };
        using var response = await Anonymous.SendAsync(request, cancellationToken);
        return (int)response.StatusCode;
    }

    /// <summary>
    /// An enrolment body with the procedure yesterday (the baseline window open) and this patient's address.
    /// </summary>
    public static object Enrolment(string studyId) =>
        new
        {
            studyId,
            sex = "F",
            ageAtProcedure = 70,
            primaryMalignancy = "breast",
            diagnosisBasis = "mri",
            procedureDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            levels = new[] { new { level = "L2", posteriorWallDefect = false } },
            complications = Array.Empty<object>(),
            email = FollowUpWorld.Address(studyId),
            language = "en",
        };

    /// <summary>The outbox's e-mails (Outbox transport), read from storage.</summary>
    public Task<IReadOnlyList<OutboxMessage>> OutboxAsync(CancellationToken cancellationToken) =>
        new OutboxReader(
            new Storage.PvpStorage(
                Microsoft.Extensions.Options.Options.Create(
                    new Storage.StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = prefix }
                )
            )
        ).ListAsync(OutboxReader.MaxTake, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _client?.Dispose();
        _anonymous?.Dispose();
    }
}

/// <summary>
/// The system's clock that a test can move forward (past a claim timeout) without waiting; its timers are the
/// system's, so queue polls and retries keep their real pace.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() =>
        System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
