using PvpServerless.Analysis;
using PvpServerless.Analysis.Export;
using PvpServerless.Cli;
using PvpServerless.Cli.Progress;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Reports;

namespace PvpServerless.Benchmarks;

/// <summary>
/// Writes a synthetic cohort file, then times, in one process, reading it (parse + validate: the floor) against
/// reading + analysing, the export files on top, and the PDF report rendered from the analysis alone (what the
/// nightly run adds to it). Each figure is the best of several warm runs; the process's peak memory closes the output.
/// </summary>
internal static class AnalysisBenchmark
{
    public static async Task<int> RunAsync(int patients, int runs, string file, CliConsole console)
    {
        var clock = TimeProvider.System;
        var progress = ProgressDisplay.For(console.Error, console.ErrorIsTerminal, clock);
        var bytes = await progress.StepAsync(
            $"Writing a synthetic cohort of {patients:N0} patients",
            async () =>
            {
                var bytes = CohortJson.Serialize(SyntheticCohort.Build(patients, seed: 1));
                await File.WriteAllBytesAsync(file, bytes);
                return bytes;
            }
        );

        Outcomes? outcomes = null;
        CohortDocument? read = null;
        Task Timed(Action action)
        {
            action();
            return Task.CompletedTask;
        }
        var parse = await Timing.BestAsync(
            progress,
            "parse + validate",
            runs,
            () => Timed(() => CohortJson.Read(File.ReadAllBytes(file)))
        );
        var analyse = await Timing.BestAsync(
            progress,
            "parse + analyse",
            runs,
            () =>
                Timed(() =>
                {
                    read = CohortJson.Read(File.ReadAllBytes(file));
                    outcomes = OutcomeAnalysis.Analyse(read, AnalysisOptions.Default, Provenance.For(read, clock));
                })
        );
        var export = await Timing.BestAsync(
            progress,
            "parse + analyse + files",
            runs,
            () =>
                Timed(() =>
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
                })
        );
        var context = new ReportContext(CensoredDays: ReportContext.CensoredDaysOf(read!));
        var (pages, pdfBytes) = (0, 0L);
        var render = await Timing.BestAsync(
            progress,
            "PDF render (outcomes.pdf from the analysis)",
            runs,
            () =>
                Timed(() =>
                {
                    using var pdf = new MemoryStream();
                    pages = OutcomesReport.Render(outcomes!, context, pdf);
                    pdfBytes = pdf.Length;
                })
        );
        progress.WriteSummary([]);

        var o = console.Out;
        o.WriteLine($"cohort: {patients:N0} patients, {bytes.Length / 1e6:F1} MB written to {file}");
        o.WriteLine($"parse + validate            {parse,8:F3} s   (floor)");
        o.WriteLine($"parse + analyse             {analyse,8:F3} s   ratio {analyse / parse:F2}× the floor");
        o.WriteLine($"parse + analyse + files     {export,8:F3} s   ratio {export / parse:F2}× the floor");
        o.WriteLine(
            $"analysis alone ≈ {analyse - parse:F3} s; {outcomes!.Comparisons.Count} comparisons, "
                + $"{outcomes.KaplanMeier.Steps.Count} KM steps, median {outcomes.KaplanMeier.MedianDays} days"
        );
        o.WriteLine(
            $"PDF render                  {render,8:F3} s   ratio {render / parse:F2}× the floor; "
                + $"{pages} pages, {pdfBytes / 1e3:N0} kB"
        );
        Timing.PrintPeakMemory(o);
        return 0;
    }
}
