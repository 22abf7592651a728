using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Analysis;
using PvpServerless.Cohort;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Tests.FollowUp;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// Issue 11, "numbers that agree", over a study lived through the real services (<see cref="SeededStudy"/>): every
/// count of the summary is the length of the list behind it, the response rates for a cut-off are the nightly
/// report's follow-up table for that cut-off, and the index agrees with the patient partitions.
/// </summary>
public sealed class NumbersAgreeTests(SeededStudyFixture study) : IClassFixture<SeededStudyFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FollowUpWorld _world = study.World;

    private T Service<T>()
        where T : notnull => _world.Host(0).GetRequiredService<T>();

    [Fact]
    public async Task Every_count_of_the_summary_is_the_length_of_its_list_and_the_study_went_as_written()
    {
        var summary = await Service<FollowUpSummaryService>().GetAsync(_world.Today, Ct);
        var counts = new List<(string Wave, string Status, string? Reason, int Summary, int Listed)>();
        foreach (var w in summary.Waves)
        {
            var wave = Waves.TryParse(w.Wave, out var parsed) ? parsed : throw new InvalidOperationException();
            foreach (var (status, count) in Figures(w))
                counts.Add((w.Wave, status, null, count, await ListedAsync(wave, status, null)));
            foreach (var (reason, count) in w.SkippedByReason)
                counts.Add((w.Wave, "skipped", reason, count, await ListedAsync(wave, "skipped", reason)));
            counts.Add((w.Wave, "optedOut", "optedOut", w.OptedOut, await ListedAsync(wave, "skipped", "optedOut")));
        }
        Assert.All(counts, c => Assert.True(c.Summary == c.Listed, $"{c}"));
        // Across the three waves at once, too.
        foreach (var status in FollowUpQueries.Statuses)
        {
            var total = counts.Where(c => c.Status == status && c.Reason is null).Sum(c => c.Summary);
            Assert.Equal((status, total), (status, await ListedAsync(null, status, null)));
        }

        // As SeededStudy has it: 0 is refused, 2 and 7 bounce (12 bounces but answers), 3 6 9 12 15 answer, the rest
        // were invited, reminded twice and expired two weeks after the procedure.
        var baseline = summary.Waves[0];
        Assert.Equal(
            ("baseline", 5, 1, 2, 8, 0, 0, 0, 0),
            (
                baseline.Wave,
                baseline.Answered,
                baseline.Failed,
                baseline.Undeliverable,
                baseline.Expired,
                baseline.Skipped,
                baseline.Scheduled,
                baseline.Invited + baseline.Reminded,
                baseline.Overdue
            )
        );
        Assert.Equal(new ResponseRate(16, 16, 5, 5 / 16.0), baseline.ResponseRate);
        // 3 months: 1, 9 (after opting out), 13 and 14 (who then died) answer; 3 and 10 died, 5 withdrew before
        // it opened.
        var threeMonths = summary.Waves[1];
        Assert.Equal(
            (4, 3, 2, 1, 0),
            (
                threeMonths.Answered,
                threeMonths.Skipped,
                threeMonths.SkippedByReason["dead"],
                threeMonths.SkippedByReason["withdrawn"],
                threeMonths.SkippedByReason["optedOut"]
            )
        );
        Assert.True(threeMonths.Overdue > 0 && threeMonths.Expired > 0, $"{threeMonths}");
        // 1 year: a death or withdrawal skips the waves still to come at once (docs/coordination.md): 3, 10 and 14
        // died, 5 withdrew; the other 12 wait for their window.
        var oneYear = summary.Waves[2];
        Assert.Equal(
            (12, 4, 3, 1),
            (oneYear.Scheduled, oneYear.Skipped, oneYear.SkippedByReason["dead"], oneYear.SkippedByReason["withdrawn"])
        );
    }

    [Fact]
    public async Task The_rates_for_a_cutoff_are_the_nightly_reports_follow_up_table_for_that_cutoff()
    {
        foreach (var back in (int[])[0, 10, 30, 60, 100, 119])
        {
            var cutoff = _world.Today.AddDays(-back);
            var cohort = await Service<CohortBuilder>().BuildAsync(cutoff, Ct);
            var table = OutcomeAnalysis
                .Analyse(cohort, AnalysisOptions.Default, Provenance.For(cohort, _world.Clock))
                .FollowUp;
            var summary = await Service<FollowUpSummaryService>().GetAsync(cutoff, Ct);
            var rates = summary.Waves.Select(w => new FollowUpRate(
                w.Wave,
                w.ResponseRate.Due,
                w.ResponseRate.Eligible,
                w.ResponseRate.Responded,
                w.ResponseRate.Rate
            ));
            Assert.Equal(table, rates);
        }
    }

    [Fact]
    public async Task The_index_agrees_with_the_patient_partitions()
    {
        var report = await Service<StatusIndexCheck>().RunAsync(repair: false, Ct);
        Assert.True(report.Consistent, $"{report}");
        Assert.Equal((48, 48), (report.Waves, report.Entries));
    }

    private static IEnumerable<(string Status, int Count)> Figures(WaveSummary w) =>
        [
            ("scheduled", w.Scheduled),
            ("invited", w.Invited),
            ("reminded", w.Reminded),
            ("answered", w.Answered),
            ("overdue", w.Overdue),
            ("expired", w.Expired),
            ("undeliverable", w.Undeliverable),
            ("failed", w.Failed),
            ("skipped", w.Skipped),
        ];

    /// <summary>Reads a list to its end, three at a time, and checks no wave shows up twice.</summary>
    private async Task<int> ListedAsync(Wave? wave, string status, string? reason)
    {
        var errors = new PvpServerless.Patients.FieldErrors();
        var (filter, _) = FollowUpQueries.List(wave?.Code(), status, reason, null, null, _world.Today, errors);
        Assert.True(errors.IsEmpty);
        var seen = new HashSet<(string, string)>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Service<FollowUpListService>().ListAsync(filter!, 3, token, Ct);
            Assert.True(page.Items.Count <= 3);
            foreach (var item in page.Items)
            {
                Assert.True(seen.Add((item.StudyId, item.Wave)), $"{item.StudyId} {item.Wave} listed twice");
                if (status != "overdue")
                    Assert.Equal(status, item.Status);
            }
            token = page.ContinuationToken;
            Assert.True(++pages < 100);
        } while (token is not null);
        return seen.Count;
    }
}
