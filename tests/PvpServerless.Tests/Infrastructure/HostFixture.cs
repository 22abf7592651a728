using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using PvpServerless.LocalHost;

namespace PvpServerless.Tests.Infrastructure;

/// <summary>
/// The real local host (the Functions project's classes plus this test assembly's) on a free port, over the shared
/// Azurite with a storage name prefix of its own. Timers and queues are off unless a test turns them on.
/// </summary>
public class HostFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string FunctionKey = "test-function-key";
    public const string MasterKey = "test-master-key";

    /// <summary>The secret survey links are derived from (32 bytes of 0x2A): tests may derive them too.</summary>
    public static readonly string TokenKey = Convert.ToBase64String(Enumerable.Repeat((byte)42, 32).ToArray());

    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client that sends no key at all.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public string Prefix { get; } = azurite.NewPrefix();

    public string ConnectionString => azurite.ConnectionString;

    /// <summary>Where the host listens; known before <see cref="ExtraSettings"/> is read, for settings.</summary>
    public string Url { get; } = $"http://127.0.0.1:{Azurite.FreePort()}";

    /// <summary>The host's services (its storage, scheduler, sender and clock).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Not started.");

    /// <summary>The functions' clock; null: the system's.</summary>
    protected virtual TimeProvider? Clock => null;

    /// <summary>Whether timers run on their schedules and queues are polled.</summary>
    protected virtual bool RunTriggers => false;

    /// <summary>Settings a fixture adds for its tests (e.g. a fixed report cut-off).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>Runs a non-HTTP function through the admin endpoint and waits for it to finish.</summary>
    public async Task RunFunctionAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{name}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { input = "" }),
            Headers = { { "x-functions-key", MasterKey }, { "x-pvp-wait", "true" } },
        };
        using var response = await Anonymous.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{name} failed: {(int)response.StatusCode} {body}");
    }

    public async ValueTask InitializeAsync()
    {
        var url = Url;
        _app = LocalFunctionsHost.Build(
            new LocalHostSettings
            {
                Url = url,
                Clock = Clock,
                ExtraAssemblies = [typeof(HostFixture).Assembly],
                Values = new Dictionary<string, string?>(ExtraSettings)
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Storage:NamePrefix"] = Prefix,
                    ["LocalHost:FunctionKeys:default"] = FunctionKey,
                    ["LocalHost:MasterKey"] = MasterKey,
                    ["LocalHost:RunTimers"] = RunTriggers ? "true" : "false",
                    ["LocalHost:RunQueues"] = RunTriggers ? "true" : "false",
                    ["LocalHost:VisibilityTimeout"] = "00:00:01",
                    ["TestQueueName"] = Prefix + "-work",
                    ["TestSchedule"] = "*/1 * * * * *",
                    ["NightlyReportSchedule"] = "0 0 2 * * *",
                    ["ScheduleFollowUpsSchedule"] = "0 */15 * * * *",
                    ["InvitationsQueue"] = Prefix + "-invitations",
                    ["FollowUp:TokenKey"] = TokenKey,
                },
            }
        );
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(url) };
        Client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        Anonymous = new HttpClient { BaseAddress = new Uri(url) };
    }

    public virtual async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        Anonymous?.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) =>
        Client.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
}

/// <summary>The same host with its timers running and its queues polled.</summary>
public sealed class TriggerHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    protected override bool RunTriggers => true;
}
