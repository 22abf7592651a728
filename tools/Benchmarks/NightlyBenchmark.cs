using PvpServerless.Domain;
using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.LocalHost;
using PvpServerless.Questionnaires;
using PvpServerless.Reports.Nightly;
using PvpServerless.Storage;

namespace PvpServerless.Benchmarks;

/// <summary>
/// Seeds N synthetic patients into a fresh in-memory Azurite, then times, in one process: a bare scan of the patients
/// table (the floor: Azurite is single-threaded Node and reading is all the nightly run must do), the cohort build,
/// and the whole nightly run (build, analyse, render, upload the folder). Best of several runs after a warm-up.
/// </summary>
internal static class NightlyBenchmark
{
    public static async Task<int> RunAsync(int patients, int runs, CancellationToken cancellationToken)
    {
        var root = FindRoot();
        await using var azurite = await Azurite.StartAsync(
            root,
            dataDirectory: null,
            ports: null,
            Console.Error,
            cancellationToken
        );
        var storage = new PvpStorage(
            Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString })
        );
        await storage.EnsureCreatedAsync(cancellationToken);

        var clock = TimeProvider.System;
        var cohort = SyntheticCohort.Build(patients, seed: 1, cutoff: new DateOnly(2026, 11, 1));
        var watch = Stopwatch.StartNew();
        await new CohortSeeder(storage, clock).SeedAsync(cohort, parallelism: 8, null, cancellationToken);
        var seeding = watch.Elapsed;
        var rows = 0L;
        await foreach (
            var _ in storage.Patients.QueryAsync<TableEntity>(
                select: ["PartitionKey"],
                maxPerPage: 1000,
                cancellationToken: cancellationToken
            )
        )
            rows++;
        Console.WriteLine(
            $"seeded {patients:N0} patients ({rows:N0} patient-table rows) in {seeding.TotalSeconds:F1} s ({rows / seeding.TotalSeconds:N0} rows/s)"
        );

        var questionnaires = Options.Create(new QuestionnaireOptions());
        var clinic = new ClinicClock(TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen"), clock);
        var builder = new CohortBuilder(storage, questionnaires, clinic);
        var reportOptions = Options.Create(
            new ReportOptions
            {
                CutoffDate = cohort.CutoffDate,
                RetentionDays = 0,
            }
        );
        var nightly = new NightlyReportService(
            builder,
            new ReportStore(storage, clock),
            reportOptions,
            clinic,
            clock,
            NullLogger<NightlyReportService>.Instance
        );

        async Task<double> Best(Func<Task> action)
        {
            await action();
            var best = double.MaxValue;
            for (var i = 0; i < runs; i++)
            {
                var w = Stopwatch.StartNew();
                await action();
                best = Math.Min(best, w.Elapsed.TotalSeconds);
            }
            return best;
        }

        var scan = await Best(async () =>
        {
            await foreach (
                var _ in storage.Patients.QueryAsync<TableEntity>(
                    maxPerPage: 1000,
                    cancellationToken: cancellationToken
                )
            ) { }
        });
        var filtered = await Best(async () =>
        {
            await foreach (
                var _ in storage.Patients.QueryAsync<TableEntity>(
                    CohortBuilder.Filter,
                    maxPerPage: 1000,
                    cancellationToken: cancellationToken
                )
            ) { }
        });
        var build = await Best(() => builder.BuildAsync(cohort.CutoffDate, cancellationToken));
        NightlyRun? last = null;
        var run = await Best(async () => last = await nightly.RunAsync(cancellationToken));

        Console.WriteLine($"bare scan of the patients table      {scan,8:F2} s   (floor, {rows / scan:N0} rows/s)");
        Console.WriteLine($"scan with the cohort filter          {filtered,8:F2} s   {filtered / scan:F2}× the floor");
        Console.WriteLine($"cohort build from storage            {build,8:F2} s   {build / scan:F2}× the floor");
        Console.WriteLine($"nightly run (build+analyse+PDF+put)  {run,8:F2} s   {run / scan:F2}× the floor");
        Console.WriteLine(
            $"report: {last!.Patients:N0} patients, {last.Files} files, {last.Bytes / 1e6:F1} MB, {last.Pages} pages"
        );
        return 0;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PvpServerless.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Run from inside the checkout.");
    }
}
