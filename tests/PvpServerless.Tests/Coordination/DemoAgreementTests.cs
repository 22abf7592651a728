using System.Net.Http.Json;
using System.Text.Json;
using PvpServerless.Cli.Demo;
using PvpServerless.Domain;
using PvpServerless.Tests.Privacy;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// Issue 11: after <c>./pvp demo</c> the dashboard shows the demo study's follow-up rates, equal to the report's
/// follow-up table. Over one whole demo run (<see cref="DemoRun"/>: the seed study, a synthetic study answered through
/// the pages, the demo's last step publishing the running study's report of today), the report as a researcher
/// downloads it and the summary the dashboard's tiles show (the browser tests hold tiles = summary), read here from the
/// raw JSON of both APIs.
/// </summary>
[Collection(DemoRunCollection.Name)]
public sealed class DemoAgreementTests(DemoRun run)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_summary_of_the_demo_study_equals_the_follow_up_table_of_its_report_of_the_same_day()
    {
        var day = Codes.Format(run.RunningCutoff);
        var outcomes = await run.Host.Researcher.GetFromJsonAsync<JsonElement>($"/api/reports/{day}/outcomes.json", Ct);
        var summary = await run.Host.Coordinator.GetFromJsonAsync<JsonElement>(
            $"/api/followups/summary?asOf={day}",
            Ct
        );
        var report = outcomes
            .GetProperty("followUp")
            .EnumerateArray()
            .Select(r => Figures(r.GetProperty("wave").GetString()!, r))
            .ToList();
        var dashboard = summary
            .GetProperty("waves")
            .EnumerateArray()
            .Select(w => Figures(w.GetProperty("wave").GetString()!, w.GetProperty("responseRate")))
            .ToList();

        Assert.Equal(["baseline", "3m", "1y"], report.Select(r => r.Wave));
        Assert.Equal(report, dashboard);
        // Both hold the two studies: the seed paper's 30 patients and the synthetic study's 40 (StudyRun) are all due
        // at baseline; some answered and some did not, at 3 months too.
        Assert.True(report[0].Due == 70 && report[0].Eligible > 60, $"{report[0]}");
        Assert.All(report.Take(2), r => Assert.True(r.Responded > 0 && r.Responded < r.Eligible, $"{r}"));

        // What the demo prints is the same comparison.
        var printed = await StudyReport.CompareAsync(run.Host.Researcher, run.Host.Coordinator, run.RunningCutoff, Ct);
        Assert.Equal(
            report.Select(r => (r.Wave, r.Due, r.Eligible, r.Responded)),
            printed.Select(p => (p.Wave, p.Report.Due, p.Report.Eligible, p.Report.Responded))
        );
        Assert.All(printed, p => Assert.True(p.Agrees, $"{p}"));
    }

    private static (string Wave, int Due, int Eligible, int Responded) Figures(string wave, JsonElement rate) =>
        (
            wave,
            rate.GetProperty("due").GetInt32(),
            rate.GetProperty("eligible").GetInt32(),
            rate.GetProperty("responded").GetInt32()
        );
}
