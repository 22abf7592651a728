using System.Diagnostics;
using PvpServerless.Analysis;
using PvpServerless.Analysis.Export;
using PvpServerless.Cohort;
using PvpServerless.Demo;

namespace PvpServerless.Benchmarks;

/// <summary>
/// Writes a synthetic cohort file, then times, in one process, reading it (parse + validate: the floor) against
/// reading + analysing, and the export files on top. Each figure is the best of several warm runs.
/// </summary>
internal static class AnalysisBenchmark
{
    public static int Run(int patients, int runs, string file)
    {
        var stopwatch = Stopwatch.StartNew();
        var bytes = CohortJson.Serialize(SyntheticCohort.Build(patients, seed: 1));
        File.WriteAllBytes(file, bytes);
        Console.WriteLine(
            $"cohort: {patients:N0} patients, {bytes.Length / 1e6:F1} MB written to {file} in {stopwatch.Elapsed.TotalSeconds:F2} s"
        );

        var clock = TimeProvider.System;
        double Best(Action action)
        {
            action(); // warm-up: JIT and caches
            var best = double.MaxValue;
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                action();
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }
            return best;
        }

        Outcomes? outcomes = null;
        var parse = Best(() => CohortJson.Read(File.ReadAllBytes(file)));
        var analyse = Best(() =>
        {
            var cohort = CohortJson.Read(File.ReadAllBytes(file));
            outcomes = OutcomeAnalysis.Analyse(cohort, AnalysisOptions.Default, Provenance.For(cohort, clock));
        });
        var export = Best(() =>
        {
            var cohort = CohortJson.Read(File.ReadAllBytes(file));
            var scores = OutcomeAnalysis.Score(cohort);
            var result = OutcomeAnalysis.Analyse(
                cohort,
                scores,
                AnalysisOptions.Default,
                Provenance.For(cohort, clock)
            );
            _ = OutcomeFiles.Write(cohort, result, scores);
        });

        Console.WriteLine($"parse + validate            {parse,8:F3} s   (floor)");
        Console.WriteLine($"parse + analyse             {analyse,8:F3} s   ratio {analyse / parse:F2}× the floor");
        Console.WriteLine($"parse + analyse + files     {export,8:F3} s   ratio {export / parse:F2}× the floor");
        Console.WriteLine(
            $"analysis alone ≈ {analyse - parse:F3} s; {outcomes!.Comparisons.Count} comparisons, {outcomes.KaplanMeier.Steps.Count} KM steps, median {outcomes.KaplanMeier.MedianDays} days"
        );
        return 0;
    }
}
