using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PvpServerless.Cli;
using PvpServerless.Cli.Progress;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Domain;
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
    public static async Task<int> RunAsync(
        int patients,
        int runs,
        bool warmUp,
        CliConsole console,
        CancellationToken cancellationToken
    )
    {
        var clock = TimeProvider.System;
        var progress = ProgressDisplay.For(console.Error, console.ErrorIsTerminal, clock);
        await using var azurite = await progress.StepAsync(
            "Starting Azurite (in memory)",
            () => Azurite.StartAsync(FindRoot(), dataDirectory: null, ports: null, console.Error, cancellationToken)
        );
        var storage = new PvpStorage(
            Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString })
        );
        await storage.EnsureCreatedAsync(cancellationToken);

        var cohort = SyntheticCohort.Build(patients, seed: 1, cutoff: new DateOnly(2026, 11, 1));
        await progress.StepAsync(
            $"Seeding {patients:N0} synthetic patients",
            patients,
            "patients",
            report =>
                new CohortSeeder(storage, clock).SeedAsync(cohort, parallelism: 8, n => report(n), cancellationToken)
        );
        var seeding = progress.Steps[^1].Elapsed;
        var rows = 0L;

        var clinic = new ClinicClock(TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen"), clock);
        var builder = new CohortBuilder(storage, Options.Create(new QuestionnaireOptions()), clinic);
        var nightly = new NightlyReportService(
            builder,
            new ReportStore(storage, clock),
            Options.Create(new ReportOptions { CutoffDate = cohort.CutoffDate, RetentionDays = 0 }),
            clinic,
            clock,
            NullLogger<NightlyReportService>.Instance
        );

        // Counts the rows as it reads them: a separate counting scan costs minutes at 100,000 patients (Azurite pages
        // through its in-memory table from the start for every continuation).
        async Task Scan(string? filter)
        {
            var seen = 0L;
            await foreach (
                var _ in storage.Patients.QueryAsync<TableEntity>(
                    filter,
                    maxPerPage: 1000,
                    cancellationToken: cancellationToken
                )
            )
                seen++;
            if (filter is null)
                rows = seen;
        }
        var scan = await Timing.BestAsync(
            progress,
            "bare scan of the patients table",
            runs,
            () => Scan(null),
            warmUp
        );
        var filtered = await Timing.BestAsync(
            progress,
            "scan with the cohort filter",
            runs,
            () => Scan(CohortBuilder.Filter),
            warmUp
        );
        var build = await Timing.BestAsync(
            progress,
            "cohort build from storage",
            runs,
            () => builder.BuildAsync(cohort.CutoffDate, cancellationToken),
            warmUp
        );
        NightlyRun? last = null;
        var run = await Timing.BestAsync(
            progress,
            "nightly run",
            runs,
            async () => last = await nightly.RunAsync(cancellationToken),
            warmUp
        );
        progress.WriteSummary([]);

        var o = console.Out;
        o.WriteLine(
            $"seeded {patients:N0} patients ({rows:N0} patient-table rows) in {seeding.TotalSeconds:F1} s "
                + $"({rows / seeding.TotalSeconds:N0} rows/s)"
        );
        o.WriteLine($"bare scan of the patients table      {scan,8:F2} s   (floor, {rows / scan:N0} rows/s)");
        o.WriteLine($"scan with the cohort filter          {filtered,8:F2} s   {filtered / scan:F2}× the floor");
        o.WriteLine($"cohort build from storage            {build,8:F2} s   {build / scan:F2}× the floor");
        o.WriteLine($"nightly run (build+analyse+PDF+put)  {run,8:F2} s   {run / scan:F2}× the floor");
        o.WriteLine(
            $"report: {last!.Patients:N0} patients, {last.Files} files, {last.Bytes / 1e6:F1} MB, {last.Pages} pages"
        );
        Timing.PrintPeakMemory(o);
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
