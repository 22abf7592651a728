using PvpServerless.Analysis.Statistics;
using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Analysis;

/// <summary>Table 1 of the seed paper (patient demographics, safety, survival) for a cohort.</summary>
internal static class Table1Builder
{
    /// <summary>Survival time points of Table 1: 3 months = day 91, 1 year = day 365.</summary>
    public static readonly IReadOnlyList<(string Code, int Day)> SurvivalDays = [("3m", 91), ("1y", 365)];

    public static Table1 Build(CohortDocument cohort, IReadOnlyList<PatientScores> scores)
    {
        var patients = cohort.Patients;
        var ages = patients.Select(p => (double)p.AgeAtProcedure).ToArray();
        var levels = patients.SelectMany(p => p.Levels).ToList();
        var assessed = levels.Where(l => l.CementLeakage is not null).ToList();
        var leaks = assessed.Count(l => l.CementLeakage == true);

        return new Table1(
            patients.Count,
            new Summary(
                Descriptive.Mean(ages),
                Descriptive.Sd(ages),
                ages.Length == 0 ? null : ages.Min(),
                ages.Length == 0 ? null : ages.Max()
            ),
            Count(patients.Count(p => p.Sex == Sex.M), patients.Count),
            patients
                .GroupBy(p => CohortReader.Code(p.PrimaryMalignancy))
                .Select(g => new MalignancyCount(g.Key, g.Count(), Percent(g.Count(), patients.Count)))
                .OrderByDescending(m => m.N)
                .ThenBy(m => m.Code, StringComparer.Ordinal)
                .ToList(),
            new TreatedLevelCounts(
                Count(patients.Count(p => p.Levels.Count == 1), patients.Count),
                Count(patients.Count(p => p.Levels.Count >= 2), patients.Count)
            ),
            levels.Count,
            levels
                .GroupBy(l => SpinalLevel.Parse(l.Level).Region)
                .OrderBy(g => g.Key)
                .Select(g => new RegionCount(CohortReader.Code(g.Key), g.Count(), Percent(g.Count(), levels.Count)))
                .ToList(),
            Proportion(levels.Count(l => l.PosteriorWallDefect), levels.Count),
            new Leakage(
                leaks,
                assessed.Count,
                Percent(leaks, assessed.Count),
                patients.Count(p => p.Levels.Any(l => l.CementLeakage == true)),
                WilsonInterval.Compute(leaks, assessed.Count) is { } ci
                    ? new Interval(100 * ci.Lower, 100 * ci.Upper)
                    : null
            ),
            patients.Sum(p =>
                p.Complications.Count(c => c.Symptomatic)
                + p.Levels.Count(l => l.CementLeakage == true && l.LeakageSymptomatic)
            ),
            SurvivalDays
                .Select(t =>
                {
                    var reached = scores.Where(s => s.Reached(t.Day, cohort.CutoffDate)).ToList();
                    var alive = reached.Count(s => s.AliveAt(t.Day));
                    return new SurvivalAt(t.Code, alive, reached.Count, Percent(alive, reached.Count));
                })
                .ToList()
        );
    }

    public static double? Percent(int n, int of) => of == 0 ? null : 100.0 * n / of;

    private static CountPercent Count(int n, int of) => new(n, Percent(n, of));

    private static Proportion Proportion(int n, int of) => new(n, of, Percent(n, of));
}
