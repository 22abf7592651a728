using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Demo;
using PvpServerless.Hosting;
using PvpServerless.Reports.Bundle;
using PvpServerless.Reports.Nightly;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Reports;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// Azurite stopped while the nightly run writes the day's report folder, for longer than the SDK's own retries: the
/// run fails, <c>latest.json</c> still names the previous complete day (every file there, matching its manifest, the
/// PDF readable), and the next run publishes the day.
/// </summary>
public sealed class NightlyRestartTests
{
    private const string Prefix = "night";

    /// <summary>Longer than a blob upload's SDK retries (about 25 s), so the run itself meets the fault.</summary>
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(30);

    private static readonly DateOnly Monday = new(2026, 6, 29);
    private static readonly DateOnly Tuesday = Monday.AddDays(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static bool Enabled => FaultSuite.All;

    [Fact(Skip = FaultSuite.SlowSkip, SkipUnless = nameof(Enabled))]
    public async Task Azurite_stopped_while_the_report_is_written_leaves_latest_on_a_complete_day()
    {
        var started = Stopwatch.GetTimestamp();
        await using var azurite = await FaultAzurite.StartAsync(Ct);
        await using (var seeding = Services(azurite, Monday, null))
        {
            var storage = seeding.GetRequiredService<PvpStorage>();
            await storage.EnsureCreatedAsync(Ct);
            var cohort = SyntheticCohort.Build(120, seed: 7, cutoff: Tuesday);
            await new CohortSeeder(storage, TimeProvider.System).SeedAsync(cohort, parallelism: 2, null, Ct);
            await seeding.GetRequiredService<NightlyReportService>().RunAsync(Ct);
            Assert.Equal(Monday, await AssertLatestIsCompleteAsync(storage));
        }

        // Tuesday's run: storage stops as the third file of the folder goes up.
        Task? restart = null;
        var fault = new StorageFault(
            StorageFault.Nth(3, StorageFault.BlobUpload(ReportStore.FolderOf(Tuesday))),
            async () =>
            {
                await azurite.StopAsync();
                restart = RestartAfterAsync(azurite);
            }
        );
        var run = Stopwatch.StartNew();
        Exception? failed;
        await using (var tuesday = Services(azurite, Tuesday, fault))
            failed = await Record.ExceptionAsync(() => tuesday.GetRequiredService<NightlyReportService>().RunAsync(Ct));
        run.Stop();
        Assert.True(fault.Fired);
        await restart!;
        Assert.NotNull(failed);

        await using var again = Services(azurite, Tuesday, null);
        var store = again.GetRequiredService<ReportStore>();
        Assert.Equal(Monday, await AssertLatestIsCompleteAsync(again.GetRequiredService<PvpStorage>()));
        Assert.Equal([Monday], (await store.ListAsync(Ct)).Select(d => d.Day));
        Assert.Null(await store.LinkAsync(Tuesday, "outcomes.pdf", TimeSpan.FromMinutes(5), Ct));

        // The next run waits out the failed run's lease (at most its 60 s) and publishes the day.
        var rerun = Stopwatch.StartNew();
        await again.GetRequiredService<NightlyReportService>().RunAsync(Ct);
        rerun.Stop();
        Assert.Equal(Tuesday, await AssertLatestIsCompleteAsync(again.GetRequiredService<PvpStorage>()));
        Assert.Equal([Tuesday, Monday], (await store.ListAsync(Ct)).Select(d => d.Day));
        FaultSuite.Report(
            "Azurite stopped during the nightly run",
            $"120 patients, stopped at the 3rd file of the day's folder for {azurite.Outages[0].TotalSeconds:0.0} s; "
                + $"the run failed after {run.Elapsed.TotalSeconds:0.0} s ({failed!.GetType().Name}); latest.json "
                + $"stayed on the previous complete day (every file matching its manifest, the PDF readable); the "
                + $"next run published the day in {rerun.Elapsed.TotalSeconds:0.0} s; "
                + $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"
        );
    }

    private static async Task RestartAfterAsync(FaultAzurite azurite)
    {
        await Task.Delay(Down, Ct);
        await azurite.StartAgainAsync(Ct);
    }

    /// <summary>
    /// latest.json's day: its folder holds every file its manifest names, each with the manifest's hash, and the
    /// PDF reads back as text.
    /// </summary>
    private static async Task<DateOnly> AssertLatestIsCompleteAsync(PvpStorage storage)
    {
        var latest = await new ReportStore(storage, TimeProvider.System).GetLatestAsync(Ct);
        Assert.NotNull(latest);
        var manifestBytes = (
            await storage.Reports.GetBlobClient(latest.Folder + BundleManifest.FileName).DownloadContentAsync(Ct)
        ).Value.Content.ToArray();
        Assert.Equal(latest.ManifestSha256, ReportBundle.Sha256Hex(manifestBytes));
        var manifest = BundleManifest.Deserialize(manifestBytes);
        Assert.Contains(manifest.Files, f => f.Name == "outcomes.pdf");
        foreach (var file in manifest.Files)
        {
            var bytes = (
                await storage.Reports.GetBlobClient(latest.Folder + file.Name).DownloadContentAsync(Ct)
            ).Value.Content.ToArray();
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            if (file.Name == "outcomes.pdf")
                Assert.NotEmpty(PdfText.Read(bytes).All);
        }
        return latest.Day;
    }

    /// <summary>The core services over the fault Azurite, with the report's cut-off, and optionally a fault.</summary>
    private static ServiceProvider Services(FaultAzurite azurite, DateOnly cutoff, StorageFault? fault)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Storage:NamePrefix"] = Prefix,
                    ["FollowUp:TokenKey"] = HostFixture.TokenKey,
                    ["Reports:CutoffDate"] = cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }
            )
            .Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        if (fault is not null)
            StorageFault.Install(services, azurite.ConnectionString, Prefix, fault);
        return services.BuildServiceProvider();
    }
}
