using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Analysis;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Hosting;
using PvpServerless.Reports.Bundle;

namespace PvpServerless.Reports.Nightly;

/// <summary>What one nightly run made: counts only, never a patient.</summary>
public sealed record NightlyRun(
    DateOnly Cutoff,
    string Folder,
    int Patients,
    int Files,
    long Bytes,
    int Pages,
    TimeSpan Elapsed
);

/// <summary>
/// The nightly job: builds the cohort document from Table Storage, analyses it, renders the report and publishes
/// the day's folder (latest.json last), then applies the retention. The same <see cref="ReportBundle"/> as ./pvp report.
/// </summary>
public sealed class NightlyReportService(
    CohortBuilder cohorts,
    ReportStore store,
    IOptions<ReportOptions> options,
    ClinicClock clinic,
    TimeProvider clock,
    ILogger<NightlyReportService> log
)
{
    /// <summary>How long a run waits for another run of the same day to finish.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    public async Task<NightlyRun> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = Stopwatch.GetTimestamp();
        // Yesterday at the clinic: the last complete day whatever the UTC time of the run.
        var cutoff = o.CutoffDate ?? clinic.Today().AddDays(-1);
        // Runs for one day take turns (two at once published files of one run beside the manifest of another).
        await using var held = await store.LockAsync(cutoff, LockWait, cancellationToken);
        cancellationToken = held.Token;
        var cohort = await cohorts.BuildAsync(cutoff, cancellationToken);
        var bundle = ReportBundle.Build(
            cohort,
            new AnalysisOptions(o.Eq5dMcid, o.OdiMcid),
            SoftwareVersion.Current,
            clock
        );
        await store.PublishAsync(cutoff, bundle.Files, cancellationToken);
        if (o.RetentionDays > 0)
        {
            var removed = await store.DeleteBeforeAsync(cutoff.AddDays(-o.RetentionDays), cancellationToken);
            if (removed > 0)
                log.LogInformation(
                    "Retention removed {Blobs} report files older than {Days} days",
                    removed,
                    o.RetentionDays
                );
        }
        var run = new NightlyRun(
            cutoff,
            ReportStore.FolderOf(cutoff),
            cohort.Patients.Count,
            bundle.Files.Count,
            bundle.Files.Sum(f => f.Content.LongLength),
            bundle.Pages,
            Stopwatch.GetElapsedTime(started)
        );
        log.LogInformation(
            "Nightly report for cut-off {Cutoff}: {Patients} patients, {Files} files, {Pages} pages, {Elapsed}",
            run.Cutoff,
            run.Patients,
            run.Files,
            run.Pages,
            run.Elapsed
        );
        return run;
    }
}
