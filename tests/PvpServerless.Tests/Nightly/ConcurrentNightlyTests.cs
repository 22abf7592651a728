using System.Security.Cryptography;
using Azure.Storage.Blobs;
using PvpServerless.Cli.Demo;
using PvpServerless.Demo;
using PvpServerless.Reports.Bundle;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Nightly;

public sealed class ConcurrentNightlyTests(SeedReportHostFixture host) : IClassFixture<SeedReportHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Eight_runs_of_one_day_at_once_publish_files_that_match_their_manifest()
    {
        await new CohortUploader(host.Client).UploadAsync(SeedCohort.Build(), null, Ct);
        // Four bursts, as the probe that found the fault sent them (it broke the folder every time).
        for (var burst = 0; burst < 4; burst++)
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.RunFunctionAsync("NightlyReport", Ct)));
            await AssertFolderMatchesManifestAsync();
        }
    }

    private async Task AssertFolderMatchesManifestAsync()
    {
        var reports = new BlobServiceClient(host.ConnectionString).GetBlobContainerClient(host.Prefix + "reports");
        var folder = "2018/03/01/";
        var manifest = BundleManifest.Deserialize(
            (await reports.GetBlobClient(folder + BundleManifest.FileName).DownloadContentAsync(Ct))
                .Value.Content.ToMemory()
                .Span
        );
        Assert.NotEmpty(manifest.Files);
        foreach (var file in manifest.Files)
        {
            var bytes = (
                await reports.GetBlobClient(folder + file.Name).DownloadContentAsync(Ct)
            ).Value.Content.ToArray();
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        var published = await reports
            .GetBlobsAsync(
                Azure.Storage.Blobs.Models.BlobTraits.None,
                Azure.Storage.Blobs.Models.BlobStates.None,
                folder,
                Ct
            )
            .Select(b => b.Name)
            .ToListAsync(Ct);
        Assert.Equal(manifest.Files.Count + 1, published.Count);
    }
}
