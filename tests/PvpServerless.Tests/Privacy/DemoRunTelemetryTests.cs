using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PvpServerless.Cli.Demo;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Privacy;

/// <summary>
/// The logs and traces of a whole demo run, every level on, hold no e-mail address, survey token or link, key, or
/// free text a patient or coordinator typed: the seed study enrolled, listed, reported and downloaded through the API
/// as <c>./pvp demo</c> does, a synthetic study followed up for 14 months by the real scheduler and sender, then
/// the links of its e-mails opened and used, SendGrid's webhook posting a bounce, and a few wrong requests that carry
/// free text. Study ids may appear; docs/deploy.md, "Telemetry", says what is scrubbed and where.
/// </summary>
public sealed partial class DemoRunTelemetryTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Free text as people type it; none of it is a field the API keeps.
    private static readonly string[] FreeText =
    [
        "Har haft ondt i ryggen siden faldet i haven",
        "My daughter fills this in for me, call her on 22 33 44 55",
        "sharp pain after the cement, could not sleep",
        "Please stop writing to my late husband",
    ];

    [GeneratedRegex("/survey/([^/?#]+)")]
    private static partial Regex SurveyLink();

    [GeneratedRegex("name=\"check\" value=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex CheckField();

    [Fact]
    public async Task A_demo_run_leaves_no_address_token_key_or_free_text_in_any_log_line_exception_or_span()
    {
        using var capture = new TelemetryCapture();
        var cohort = SeedCohort.Build();
        await using var host = await DemoRunHost.StartAsync(azurite, Codes.Format(cohort.CutoffDate), capture, Ct);
        var storage = new PvpStorage(
            Options.Create(
                new StorageOptions
                {
                    ConnectionString = azurite.ConnectionString,
                    NamePrefix = host.Settings["Storage:NamePrefix"]!,
                }
            )
        );

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await SeedWalkAsync(host, cohort);
        var seeded = watch.Elapsed;
        var addresses = cohort.Patients.Select(p => $"{p.StudyId.ToLowerInvariant()}@demo.invalid").ToList();
        addresses.AddRange(await StudyRun.RunAsync(host.Settings, 40, capture, Ct));
        var studied = watch.Elapsed;
        var emails = await OutboxAsync(storage);
        var tokens = emails.SelectMany(e => e.Links).Select(l => SurveyLink().Match(l).Groups[1].Value).Distinct();
        var secrets = await UseTheLinksAsync(host, emails, [.. tokens]);

        var used = watch.Elapsed;
        var leaks = capture.Leaks([.. addresses, .. secrets, .. FreeText, .. DemoRunHost.Keys.All]).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{capture.Logs.Count()} log entries and {capture.Spans.Count()} spans scanned for "
                + $"{addresses.Count} addresses, {secrets.Count} tokens and other secrets, {emails.Count} e-mails; "
                + $"seed {seeded.TotalSeconds:F0} s, study {(studied - seeded).TotalSeconds:F0} s, links "
                + $"{(used - studied).TotalSeconds:F0} s, scan {(watch.Elapsed - used).TotalSeconds:F0} s"
        );
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks:\n" + string.Join("\n", leaks.Take(30)));

        // The scan saw the places where secrets pass: addresses went out, tokens came in, storage was called.
        Assert.True(emails.Count >= 40, $"{emails.Count} e-mails");
        Assert.Contains(
            capture.Logs,
            r => r.Texts.Any(t => t.Contains("/api/survey/[token]/opt-out", StringComparison.Ordinal))
        );
        Assert.Contains(capture.Spans, s => s.Source == "Microsoft.AspNetCore");
        Assert.Contains(capture.Spans, s => s.Source.StartsWith("Azure.", StringComparison.Ordinal));
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
    /// What patients, SendGrid and a coordinator do with the e-mails: open every link, opt out, post a survey form
    /// with a remark, bounce, change an address, type free text where it does not belong; the host's scheduler and
    /// sender run once more. Returns the secrets this added (tokens, the new address).
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
        return [.. tokens, moved, "widow@demo.invalid"];

        async Task ExpectAsync(HttpStatusCode status, string path, object body)
        {
            using var response = await host.Coordinator.PostAsJsonAsync(path, body, Ct);
            Assert.True(status == response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }
    }
}
