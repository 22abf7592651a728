using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Reports.Nightly;

namespace PvpServerless.Cli.Demo;

/// <summary>One wave's response rate twice: in the nightly report's follow-up table and in the summary.</summary>
public sealed record RateAgreement(string Wave, Rate Report, Rate Dashboard)
{
    public bool Agrees => Report == Dashboard;
}

/// <summary>Due, eligible and responded, as docs/outcomes.md (<c>followUp[]</c>) and docs/openapi.yaml say.</summary>
public sealed record Rate(int Due, int Eligible, int Responded);

/// <summary>
/// The demo's last step: the nightly report of the running study — the seed cohort and the synthetic study, with the
/// study's last day as its cut-off — published beside the seed study's report, and its follow-up table set against
/// the coordinator summary that the dashboard shows for the same day (docs/coordination.md, "Numbers that agree").
/// </summary>
public static class StudyReport
{
    /// <summary>
    /// Runs the nightly report with <paramref name="cutoff"/> over <paramref name="services"/> (the host's, or services
    /// beside it over the same storage), once the answers' status-index syncs are done, so the summary counts them.
    /// </summary>
    public static async Task<NightlyRun> PublishAsync(
        IServiceProvider services,
        DateOnly cutoff,
        CancellationToken cancellationToken
    )
    {
        // The syncs run after each answer (docs/storage.md, "Status index"): the summary must not run ahead of them.
        await services.GetRequiredService<StatusIndexBacklog>().SweepAsync(cancellationToken);
        var host = services.GetRequiredService<IOptions<ReportOptions>>().Value;
        // The host's options pin the seed study's cut-off; this run takes the study's last day and keeps every earlier
        // day (the seed study's report is years older than any retention would allow).
        var running = new ReportOptions
        {
            CutoffDate = cutoff,
            RetentionDays = 0,
            Eq5dMcid = host.Eq5dMcid,
            OdiMcid = host.OdiMcid,
            LinkLifetime = host.LinkLifetime,
        };
        var nightly = ActivatorUtilities.CreateInstance<NightlyReportService>(services, Options.Create(running));
        return await nightly.RunAsync(cancellationToken);
    }

    /// <summary>
    /// The report of <paramref name="cutoff"/> as a researcher downloads it, and the summary as of that day as the
    /// dashboard reads it, wave by wave.
    /// </summary>
    public static async Task<IReadOnlyList<RateAgreement>> CompareAsync(
        HttpClient researcher,
        HttpClient coordinator,
        DateOnly cutoff,
        CancellationToken cancellationToken
    )
    {
        var day = Codes.Format(cutoff);
        var outcomes = await researcher.GetFromJsonAsync<JsonElement>(
            $"/api/reports/{day}/outcomes.json",
            cancellationToken
        );
        var summary = await coordinator.GetFromJsonAsync<JsonElement>(
            $"/api/followups/summary?asOf={day}",
            cancellationToken
        );
        var report = outcomes
            .GetProperty("followUp")
            .EnumerateArray()
            .ToDictionary(r => r.GetProperty("wave").GetString()!, RateOf, StringComparer.Ordinal);
        return
        [
            .. summary
                .GetProperty("waves")
                .EnumerateArray()
                .Select(w =>
                {
                    var wave = w.GetProperty("wave").GetString()!;
                    return new RateAgreement(
                        wave,
                        report.GetValueOrDefault(wave, new Rate(-1, -1, -1)),
                        RateOf(w.GetProperty("responseRate"))
                    );
                }),
        ];
    }

    public static string Format(DateOnly cutoff, NightlyRun run, IReadOnlyList<RateAgreement> rates)
    {
        static string Percent(Rate r) =>
            r.Eligible <= 0
                ? "–"
                : (100.0 * r.Responded / r.Eligible).ToString("F1", CultureInfo.InvariantCulture) + " %";
        var agree = rates.All(r => r.Agrees);
        var lines = rates.Select(r =>
            string.Create(
                CultureInfo.InvariantCulture,
                $"  {r.Wave,-8}  report: {r.Report.Responded,4} of {r.Report.Eligible,4} eligible "
                    + $"{Percent(r.Report),7}   dashboard: {r.Dashboard.Responded,4} of {r.Dashboard.Eligible,4} "
                    + $"{Percent(r.Dashboard),7}   {(r.Agrees ? "equal" : "DIFFERENT")}"
            )
        );
        var head = agree
            ? $"The dashboard (as of {Codes.Format(cutoff)}) shows the follow-up table of the report of that day "
                + $"({run.Patients} patients, seed and synthetic study):"
            : $"The dashboard (as of {Codes.Format(cutoff)}) and the report of that day DISAGREE:";
        return string.Join(Environment.NewLine, [head, .. lines]);
    }

    private static Rate RateOf(JsonElement e) =>
        new(
            e.GetProperty("due").GetInt32(),
            e.GetProperty("eligible").GetInt32(),
            e.GetProperty("responded").GetInt32()
        );
}
