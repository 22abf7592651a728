using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Cli.Demo;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Functions;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Privacy;

/// <summary>The tests that search what one whole demo run left behind (it runs once for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class DemoRunCollection : ICollectionFixture<DemoRun>
{
    public const string Name = "Demo run";
}

/// <summary>
/// One whole demo run, every log level on: the seed study enrolled, listed, reported and downloaded through the API
/// as <c>./pvp demo</c> does, a synthetic study followed up for 14 months by the real scheduler and sender, then the
/// links of its e-mails opened and used, SendGrid's webhook posting a bounce, a few wrong requests that carry free
/// text, and the demo's last step: a second nightly report whose cut-off (today, the study's last day) takes in the
/// synthetic study too. What it issued (the addresses, the tokens of the outbox's links, the free text) is kept for the
/// tests that search its traces: telemetry (DemoRunTelemetryTests), reports and exports (DemoRunOutputTests), storage
/// (Security/StoredTokenTests); the second report's day for the test that holds it against the dashboard's summary
/// (Coordination/DemoAgreementTests).
/// </summary>
public sealed partial class DemoRun(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Free text as people type it; none of it is a field the API keeps.</summary>
    public static readonly IReadOnlyList<string> FreeText =
    [
        "Har haft ondt i ryggen siden faldet i haven",
        "My daughter fills this in for me, call her on 22 33 44 55",
        "sharp pain after the cement, could not sleep",
        "Please stop writing to my late husband",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("/survey/([^/?#]+)")]
    private static partial Regex SurveyLink();

    [GeneratedRegex("name=\"check\" value=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex CheckField();

    private DemoRunHost? _host;

    public TelemetryCapture Capture { get; } = new();

    public DemoRunHost Host => _host ?? throw new InvalidOperationException("The demo run did not start.");

    public PvpStorage Storage { get; private set; } = null!;

    /// <summary>Every e-mail in the outbox after the run (the patients' mailboxes, in effect).</summary>
    public IReadOnlyList<OutboxMessage> Emails { get; private set; } = [];

    /// <summary>The token of every survey link the e-mails carried.</summary>
    public IReadOnlyList<string> Tokens { get; private set; } = [];

    /// <summary>Every address the run enrolled or set, and the one a refused request carried.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>The cut-off of the second report: today at the clinic, the synthetic study's last day.</summary>
    public DateOnly RunningCutoff { get; private set; }

    /// <summary>Seed walk, study, links, second report: how long each part took.</summary>
    public string Timings { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var cohort = SeedCohort.Build();
        _host = await DemoRunHost.StartAsync(azurite, Codes.Format(cohort.CutoffDate), Capture, Ct);
        Storage = new PvpStorage(
            Options.Create(
                new StorageOptions
                {
                    ConnectionString = azurite.ConnectionString,
                    NamePrefix = Host.Settings["Storage:NamePrefix"]!,
                }
            )
        );

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await SeedWalkAsync(Host, cohort);
        var seeded = watch.Elapsed;
        var addresses = cohort.Patients.Select(p => StudyRun.Address(p.StudyId)).ToList();
        addresses.AddRange(await StudyRun.RunAsync(Host.Settings, 40, Capture, Ct));
        var studied = watch.Elapsed;
        var emails = await OutboxAsync(Storage);
        var tokens = emails
            .SelectMany(e => e.Links)
            .Select(l => SurveyLink().Match(l).Groups[1].Value)
            .Distinct()
            .ToList();
        addresses.AddRange(await UseTheLinksAsync(Host, emails, tokens));
        var used = watch.Elapsed;
        RunningCutoff = await ReportTheRunningStudyAsync(Host.Settings);
        (Emails, Tokens, Addresses) = (await OutboxAsync(Storage), tokens, addresses);
        Timings =
            $"seed {seeded.TotalSeconds:F0} s, study {(studied - seeded).TotalSeconds:F0} s, links "
            + $"{(used - studied).TotalSeconds:F0} s, second report {(watch.Elapsed - used).TotalSeconds:F0} s";
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        Capture.Dispose();
    }

    /// <summary>The demo's first half (tools/Cli/Demo/DemoWalk.cs): enrol, list, nightly report, download.</summary>
    private static async Task SeedWalkAsync(DemoRunHost host, PvpServerless.Cohort.CohortDocument cohort)
    {
        await new CohortUploader(host.Coordinator).UploadAsync(cohort, null, Ct);
        string? next = null;
        do
        {
            var page = await host.Coordinator.GetFromJsonAsync<JsonElement>(
                "/api/patients?pageSize=10" + (next is null ? "" : "&continuationToken=" + WebUtility.UrlEncode(next)),
                Ct
            );
            next = page.GetProperty("continuationToken").GetString();
        } while (next is not null);
        await host.RunAsync("NightlyReport", "", Ct);
        var reports = await host.Researcher.GetFromJsonAsync<JsonElement>("/api/reports", Ct);
        var files = reports.GetProperty("days")[0].GetProperty("manifest").GetProperty("files");
        foreach (var file in files.EnumerateArray())
            await host.Researcher.GetByteArrayAsync($"/api/reports/latest/{file.GetProperty("name").GetString()}", Ct);
        using var export = await host.Researcher.GetAsync("/api/exports/cohort.json", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
    }

    /// <summary>Every e-mail in the outbox, read straight from storage.</summary>
    private static async Task<List<OutboxMessage>> OutboxAsync(PvpStorage storage)
    {
        var emails = new List<OutboxMessage>();
        await foreach (var blob in storage.Outbox.GetBlobsAsync(cancellationToken: Ct))
        {
            var content = await storage.Outbox.GetBlobClient(blob.Name).DownloadContentAsync(Ct);
            emails.Add(content.Value.Content.ToObjectFromJson<OutboxMessage>(OutboxTransport.Json)!);
        }
        return emails;
    }

    /// <summary>
    /// The demo's last step (tools/Cli/Demo/StudyReport.cs) over the services the Functions worker registers, beside
    /// the host on its storage: the report of the running study, today's, which holds the synthetic patients as well.
    /// </summary>
    private async Task<DateOnly> ReportTheRunningStudyAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(Capture));
        services.AddPvpFunctions(configuration);
        services.AddLogging(DemoRunHost.EverythingAtTrace);
        await using var provider = services.BuildServiceProvider();
        var today = provider.GetRequiredService<ClinicClock>().Today();
        var run = await StudyReport.PublishAsync(provider, today, Ct);
        Assert.True(run.Patients > 30, $"{run.Patients} patients in the report up to {run.Cutoff}");
        return today;
    }

    /// <summary>
    /// What patients, SendGrid and a coordinator do with the e-mails: open every link, opt out, post a survey form
    /// with a remark, bounce, change an address, type free text where it does not belong; the host's scheduler and
    /// sender run once more. Returns the addresses this added (the new one, one in a refused request).
    /// </summary>
    private static async Task<List<string>> UseTheLinksAsync(
        DemoRunHost host,
        IReadOnlyList<OutboxMessage> emails,
        IReadOnlyList<string> tokens
    )
    {
        foreach (var token in tokens)
        {
            using var page = await host.Anonymous.GetAsync($"/api/survey/{token}/opt-out", Ct);
            using var survey = await host.Anonymous.GetAsync($"/api/survey/{token}?lang=en", Ct);
        }
        foreach (var token in tokens.Take(3))
        {
            var html = await host.Anonymous.GetStringAsync($"/api/survey/{token}/opt-out", Ct);
            var check = CheckField().Match(html).Groups[1].Value;
            using var optOut = await host.Anonymous.PostAsync(
                $"/api/survey/{token}/opt-out",
                new FormUrlEncodedContent([new("check", check)]),
                Ct
            );
        }
        using var form = await host.Anonymous.PostAsync(
            $"/api/survey/{tokens[^1]}",
            new FormUrlEncodedContent([new("mobility", "2"), new("remark", FreeText[0]), new("vas", FreeText[1])]),
            Ct
        );
        using var truncated = await host.Anonymous.GetAsync($"/api/survey/{tokens[0][..20]}/opt-out", Ct);

        var bounced = emails[0];
        var events = new JsonArray(
            new JsonObject
            {
                ["email"] = bounced.To,
                ["event"] = "bounce",
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["sg_event_id"] = Guid.NewGuid().ToString("N"),
                ["sg_message_id"] = "msg." + bounced.EmailId,
                [SendGridTransport.EmailIdArg] = bounced.EmailId,
                ["reason"] = $"550 5.1.1 <{bounced.To}>: Recipient address rejected",
            }
        ).ToJsonString();
        using var webhook = await host.Anonymous.SendAsync(host.SignedWebhook(events), Ct);
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);

        const string moved = "anna.moved.away@demo.invalid";
        var studyId = "STUDY-0001";
        await ExpectAsync(
            HttpStatusCode.Created,
            $"/api/patients/{studyId}/events",
            new { type = "contactChange", email = moved }
        );
        await ExpectAsync(
            HttpStatusCode.BadRequest,
            $"/api/patients/{studyId}/events",
            new { type = "complication", complicationType = FreeText[2], symptomatic = true }
        );
        await ExpectAsync(
            HttpStatusCode.BadRequest,
            "/api/patients",
            new { studyId = "STUDY-9999", email = FreeText[3] + " <widow@demo.invalid>" }
        );
        using var outbox = await host.Anonymous.GetAsync($"/api/outbox?code={DemoRunHost.Keys.Master}", Ct);
        Assert.Equal(HttpStatusCode.OK, outbox.StatusCode);

        await host.RunAsync("ScheduleFollowUps", "", Ct);
        return [moved, "widow@demo.invalid"];

        async Task ExpectAsync(HttpStatusCode status, string path, object body)
        {
            using var response = await host.Coordinator.PostAsJsonAsync(path, body, Ct);
            Assert.True(status == response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }
    }
}
