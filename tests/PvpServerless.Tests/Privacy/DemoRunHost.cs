using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Privacy;

/// <summary>
/// The local host as <c>./pvp demo</c> runs it (Outbox transport, the seed study's cut-off), on a free port over the
/// shared Azurite, with random keys (so that a key in a log would be found), a SendGrid webhook key whose private half
/// stays here, and every log entry at every level going into a <see cref="TelemetryCapture"/>.
/// </summary>
public sealed class DemoRunHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ECDsa _webhookKey;

    private DemoRunHost(WebApplication app, string url, IReadOnlyDictionary<string, string?> settings, ECDsa key)
    {
        (_app, Url, Settings, _webhookKey) = (app, url, settings, key);
        Coordinator = Client(Keys.Coordinator);
        Researcher = Client(Keys.Researcher);
        Anonymous = Client(null);
    }

    /// <summary>Random keys and secrets of this run; none may appear in the telemetry.</summary>
    public static class Keys
    {
        public static readonly string Coordinator = New();
        public static readonly string Researcher = New();
        public static readonly string Master = New();
        public static readonly string TokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        public static IEnumerable<string> All => [Coordinator, Researcher, Master, TokenKey];

        private static string New() => Base64Url(RandomNumberGenerator.GetBytes(24));
    }

    public string Url { get; }

    /// <summary>The app's settings, for services run beside the host over the same storage.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public HttpClient Coordinator { get; }

    public HttpClient Researcher { get; }

    public HttpClient Anonymous { get; }

    public static async Task<DemoRunHost> StartAsync(
        AzuriteFixture azurite,
        string cutoff,
        TelemetryCapture capture,
        CancellationToken cancellationToken
    )
    {
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var prefix = azurite.NewPrefix();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:NamePrefix"] = prefix,
            ["InvitationsQueue"] = prefix + "-invitations",
            ["FollowUp:TokenKey"] = Keys.TokenKey,
            ["Email:Transport"] = "Outbox",
            ["Email:WebhookPublicKey"] = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
            ["Clinic:PublicBaseUrl"] = url + "/api",
            ["Clinic:Name"] = "Rygklinikken",
            ["Clinic:Phone"] = "+45 70 20 30 40",
            ["Reports:CutoffDate"] = cutoff,
        };
        var app = LocalFunctionsHost.Build(
            new LocalHostSettings
            {
                Url = url,
                MinimumLogLevel = LogLevel.Trace,
                Values = new Dictionary<string, string?>(settings)
                {
                    ["LocalHost:FunctionKeys:coordinator"] = Keys.Coordinator,
                    ["LocalHost:Functions:ExportCohort:Keys:researcher"] = Keys.Researcher,
                    ["LocalHost:Functions:ListReports:Keys:researcher"] = Keys.Researcher,
                    ["LocalHost:Functions:GetLatestReportFile:Keys:researcher"] = Keys.Researcher,
                    ["LocalHost:Functions:GetReportFile:Keys:researcher"] = Keys.Researcher,
                    ["LocalHost:MasterKey"] = Keys.Master,
                    ["LocalHost:RunTimers"] = "false",
                    ["LocalHost:RunQueues"] = "false",
                },
                ConfigureLogging = logging =>
                {
                    logging.ClearProviders();
                    logging.AddProvider(capture);
                    EverythingAtTrace(logging);
                },
            }
        );
        await app.StartAsync(cancellationToken);
        return new DemoRunHost(app, url, settings, key);
    }

    /// <summary>
    /// Every category at its most talkative, the Azure SDK's too (the app keeps those at Error): the scan sees the
    /// worst case a changed log level could produce.
    /// </summary>
    public static void EverythingAtTrace(ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(LogLevel.Trace);
        foreach (var category in (string[])["Azure", "Azure.Core", "Azure.Identity", "Azure.Storage", "Azure.Data"])
            logging.AddFilter(category, LogLevel.Trace);
    }

    /// <summary>Runs a timer or queue function through the admin route and waits for it (as the demo does).</summary>
    public async Task RunAsync(string function, string input, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{function}")
        {
            Content = JsonContent.Create(new { input }),
            Headers = { { "x-functions-key", Keys.Master }, { "x-pvp-wait", "true" } },
        };
        using var response = await Anonymous.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{function}: {(int)response.StatusCode} {text}");
    }

    /// <summary>A webhook post signed as SendGrid signs it (ECDSA P-256 over timestamp + body).</summary>
    public HttpRequestMessage SignedWebhook(string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = _webhookKey.SignData(
            Encoding.UTF8.GetBytes(timestamp + body),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence
        );
        return new HttpRequestMessage(HttpMethod.Post, "/api/sendgrid/events")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers =
            {
                { PvpServerless.Email.SendGridWebhookVerifier.SignatureHeader, Convert.ToBase64String(signature) },
                { PvpServerless.Email.SendGridWebhookVerifier.TimestampHeader, timestamp },
            },
        };
    }

    private HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        if (key is not null)
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        Coordinator.Dispose();
        Researcher.Dispose();
        Anonymous.Dispose();
        await _app.DisposeAsync();
        _webhookKey.Dispose();
    }
}
