using PvpServerless.Analysis;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Reports.Bundle;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// Bundles built from real cohorts with the real analysis, and a clock that returns set readings in turn.
/// </summary>
internal static class BundleTestData
{
    public static readonly DateTimeOffset Started = new(2018, 3, 2, 2, 0, 0, TimeSpan.Zero);
    public const string Version = "0.1.0+test";

    /// <summary>
    /// The seed paper's 30 patients, analysed and rendered once for every test that only reads the result.
    /// </summary>
    public static ReportBundle Seed => LazySeed.Value;

    private static readonly Lazy<ReportBundle> LazySeed = new(() => Build(SeedCohort.Build()));

    public static ReportBundle Build(CohortDocument cohort, AnalysisOptions? options = null) =>
        ReportBundle.Build(
            cohort,
            options ?? AnalysisOptions.Default,
            Version,
            new SteppingClock(Started, TimeSpan.FromSeconds(3))
        );

    public static BundleFile File(this ReportBundle bundle, string name) => bundle.Files.Single(f => f.Name == name);

    /// <summary>
    /// Returns <c>start</c>, then <c>start + step</c>, and so on: each reading is told apart from the last.
    /// </summary>
    public sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private int readings;

        public int Readings => readings;

        public override DateTimeOffset GetUtcNow() => start + step * Interlocked.Increment(ref readings) - step;
    }
}
