using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// E-mail addresses never reach a report or an export: patients enrolled with addresses through the coordinator API
/// (one of them changing it later), the real nightly function over Azurite, then every file it published and the
/// cohort export read back and searched for the addresses.
/// </summary>
public sealed class ReportPrivacyTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Regex EmailLike = new(
        @"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
        RegexOptions.Compiled
    );

    private static object Response(string wave, string completedAt, int mobility) =>
        new
        {
            wave,
            completedAt,
            eq5d = new
            {
                mobility,
                selfCare = 1,
                usualActivities = 2,
                pain = 2,
                anxiety = 1,
                vas = 55,
            },
            odi = new int?[] { 3, 2, 2, 1, 1, 2, 1, null, 1, 2 },
        };

    private async Task<(string StudyId, string Email)> EnrolAsync(int i)
    {
        var body = Enrolments.Valid();
        var email = $"privacy.check{i}.{Guid.NewGuid().ToString("N")[..8]}@hospital.example";
        body["email"] = email;
        var id = (string)body["studyId"]!;
        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", body)).StatusCode);
        foreach (var (wave, at) in new[] { ("baseline", "2025-03-30T09:00:00Z"), ("3m", "2025-07-01T09:00:00Z") })
        {
            var response = await host.PostJsonAsync($"/api/patients/{id}/responses", Response(wave, at, 1 + i % 3));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        return (id, email);
    }

    [Fact]
    public async Task No_published_report_file_and_no_cohort_export_holds_an_e_mail_address()
    {
        var patients = new List<(string StudyId, string Email)>();
        for (var i = 0; i < 4; i++)
            patients.Add(await EnrolAsync(i));
        var changed = $"changed.{Guid.NewGuid().ToString("N")[..8]}@hospital.example";
        var change = await host.PostJsonAsync(
            $"/api/patients/{patients[0].StudyId}/events",
            new
            {
                type = "contactChange",
                email = changed,
                language = "en",
            }
        );
        Assert.Equal(HttpStatusCode.Created, change.StatusCode);
        string[] addresses = [.. patients.Select(p => p.Email), changed];

        // The addresses are really in storage (the contacts table), so the reports had a chance to leak them.
        var contacts = await new TableServiceClient(host.ConnectionString)
            .GetTableClient(host.Prefix + "Contacts")
            .QueryAsync<TableEntity>("RowKey eq 'contact'", cancellationToken: Ct)
            .Select(e => e.GetString("Email"))
            .ToListAsync(Ct);
        Assert.Equal(
            addresses[1..].Order(StringComparer.Ordinal),
            contacts.Order(StringComparer.Ordinal) // patient 0's first address was replaced by the change
        );

        await host.RunFunctionAsync("NightlyReport", Ct);

        var reports = new BlobServiceClient(host.ConnectionString).GetBlobContainerClient(host.Prefix + "reports");
        var files = new Dictionary<string, string>();
        await foreach (var blob in reports.GetBlobsAsync(cancellationToken: Ct))
        {
            var content = (await reports.GetBlobClient(blob.Name).DownloadContentAsync(Ct)).Value.Content.ToArray();
            files[blob.Name] = blob.Name.EndsWith(".pdf", StringComparison.Ordinal)
                // The printed text, and the raw bytes for the metadata.
                ? PdfText.Read(content).All + "\n" + Encoding.Latin1.GetString(content)
                : Encoding.UTF8.GetString(content);
        }
        files["GET /api/exports/cohort.json"] = await host.Client.GetStringAsync("/api/exports/cohort.json", Ct);

        // Every file of the folder was published, and the patients are in it: what the addresses could reach.
        var manifest = files.Keys.Single(k => k.EndsWith("/manifest.json", StringComparison.Ordinal));
        var folder = manifest[..^"manifest.json".Length];
        Assert.Equal(
            [
                "attrition.csv",
                "cohort.json",
                "comparisons.csv",
                "data-dictionary.csv",
                "followup.csv",
                "km-steps.csv",
                "km-summary.csv",
                "leakage.csv",
                "manifest.json",
                "outcomes.json",
                "outcomes.pdf",
                "pain.csv",
                "responders.csv",
                "scores.csv",
                "table1.csv",
            ],
            files
                .Keys.Where(k => k.StartsWith(folder, StringComparison.Ordinal))
                .Select(k => k[folder.Length..])
                .Order(StringComparer.Ordinal)
        );
        Assert.Contains("latest.json", files.Keys);
        Assert.All(patients, p => Assert.Contains(p.StudyId, files[folder + "scores.csv"], StringComparison.Ordinal));
        Assert.All(
            patients,
            p => Assert.Contains(p.StudyId, files["GET /api/exports/cohort.json"], StringComparison.Ordinal)
        );

        foreach (var (name, text) in files)
        {
            foreach (var address in addresses)
            {
                Assert.False(text.Contains(address, StringComparison.OrdinalIgnoreCase), $"{name} holds {address}");
                var local = address[..address.IndexOf('@')];
                Assert.False(text.Contains(local, StringComparison.OrdinalIgnoreCase), $"{name} holds {local}");
            }
            Assert.False(EmailLike.IsMatch(text), $"{name}: {EmailLike.Match(text).Value}");
        }
    }
}
