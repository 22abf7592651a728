using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Web;
using Azure.Storage.Blobs;
using PvpServerless.Cli.Demo;
using PvpServerless.Demo;
using PvpServerless.Reports.Bundle;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Reports;

namespace PvpServerless.Tests.Nightly;

/// <summary>The seed cohort with the paper's cut-off, as a closed study would run it.</summary>
public sealed class SeedReportHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>
        {
            ["Reports:CutoffDate"] = "2018-03-01",
            ["LocalHost:Functions:ListReports:Keys:researcher"] = "research-key",
            ["LocalHost:Functions:GetLatestReportFile:Keys:researcher"] = "research-key",
            ["LocalHost:Functions:GetReportFile:Keys:researcher"] = "research-key",
        };
}

public sealed class NightlyReportTests(SeedReportHostFixture host) : IClassFixture<SeedReportHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Researcher()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = host.Client.BaseAddress,
        };
        client.DefaultRequestHeaders.Add("x-functions-key", "research-key");
        return client;
    }

    private BlobContainerClient Reports =>
        new BlobServiceClient(host.ConnectionString).GetBlobContainerClient(host.Prefix + "reports");

    [Fact]
    public async Task The_nightly_function_publishes_the_seed_report_and_researchers_download_it_by_short_links()
    {
        await new CohortUploader(host.Client).UploadAsync(SeedCohort.Build(), null, Ct);
        await host.RunFunctionAsync("NightlyReport", Ct);

        var names = await Reports.GetBlobsAsync(cancellationToken: Ct).Select(b => b.Name).ToListAsync(Ct);
        foreach (
            var file in new[]
            {
                "outcomes.pdf",
                "outcomes.json",
                "cohort.json",
                "manifest.json",
                "data-dictionary.csv",
                "table1.csv",
            }
        )
        {
            Assert.Contains($"2018/03/01/{file}", names);
        }
        Assert.Contains("latest.json", names);

        using var researcher = Researcher();
        var list = await researcher.GetFromJsonAsync<JsonElement>("/api/reports", Ct);
        Assert.Equal("2018-03-01", list.GetProperty("latest").GetString());
        var manifest = list.GetProperty("days")[0].GetProperty("manifest");
        Assert.Equal(30, manifest.GetProperty("patients").GetInt32());

        var redirect = await researcher.GetAsync("/api/reports/latest/outcomes.pdf", Ct);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var link = redirect.Headers.Location!;
        var query = HttpUtility.ParseQueryString(link.Query);
        Assert.Equal("r", query["sp"]);
        var expires = DateTimeOffset.Parse(query["se"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));

        using var plain = new HttpClient();
        var pdf = await plain.GetByteArrayAsync(link, Ct);
        var pdfEntry = manifest
            .GetProperty("files")
            .EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == "outcomes.pdf");
        Assert.Equal(pdfEntry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(pdf)));
        var text = PdfText.Read(pdf).All;
        foreach (
            var figure in new[]
            {
                "20 (66.7)",
                "13 (43.3)",
                "37 (45.7)",
                "24/81 (29.6)",
                "12/81 (14.8)",
                "23/30 (76.7)",
                "18/30 (60.0)",
            }
        )
        {
            Assert.Contains(figure, text, StringComparison.Ordinal);
        }

        // The same file by its day, and the API refuses what it does not have.
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await researcher.GetAsync("/api/reports/2018-03-01/cohort.json", Ct)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await researcher.GetAsync("/api/reports/2018-03-02/outcomes.pdf", Ct)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await researcher.GetAsync("/api/reports/2018-03-01/nothing.txt", Ct)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await researcher.GetAsync("/api/reports/1-3-2018/outcomes.pdf", Ct)).StatusCode
        );
        Assert.Equal(HttpStatusCode.BadRequest, (await researcher.GetAsync("/api/reports?days=0", Ct)).StatusCode);
        // The researcher key opens the reports only; a request without it is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await researcher.GetAsync("/api/patients", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/reports", Ct)).StatusCode);

        // Re-running the day replaces its folder: a stray file left there is gone, the day is still the latest.
        await Reports.GetBlobClient("2018/03/01/stray.txt").UploadAsync(BinaryData.FromString("old"), Ct);
        await host.RunFunctionAsync("NightlyReport", Ct);
        Assert.False(await Reports.GetBlobClient("2018/03/01/stray.txt").ExistsAsync(Ct));
        Assert.Equal(
            "2018-03-01",
            (await researcher.GetFromJsonAsync<JsonElement>("/api/reports", Ct)).GetProperty("latest").GetString()
        );
    }
}
