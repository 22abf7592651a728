using System.CommandLine;
using PvpServerless.Analysis;
using PvpServerless.Analysis.Export;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp stats --input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]</c>: the outcome analysis offline.
/// Writes outcomes.json, the CSV files and data-dictionary.csv. A malformed cohort is refused with the place named,
/// and then nothing is written: every file is built in memory first, then written by <see cref="OutputFolder"/>.
/// </summary>
public static class StatsCommand
{
    private const string Name = "stats";

    public static Command Create(CliContext context) =>
        CohortOptions.CreateCommand(
            Name,
            "analyse a cohort file: outcomes.json, CSV files and their data dictionary",
            context.Console,
            (job, cancellationToken) => RunAsync(job, context, cancellationToken)
        );

    private static async Task<int> RunAsync(CohortJob job, CliContext context, CancellationToken cancellationToken)
    {
        var (cohort, options, outDir) = job;
        var scores = OutcomeAnalysis.Score(cohort);
        var outcomes = OutcomeAnalysis.Analyse(cohort, scores, options, Provenance.For(cohort, context.Clock));
        var files = OutcomeFiles.Write(cohort, outcomes, scores);
        var written = await CohortInput.WriteAsync(
            Name,
            outDir,
            files.Select(f => (f.Name, f.Content)).ToList(),
            context.Console,
            cancellationToken
        );
        if (written is null)
            return 1;
        await context.Console.Out.WriteLineAsync(
            $"stats: {cohort.Patients.Count} patients, {outcomes.Comparisons.Count} comparisons; wrote {files.Count} "
                + $"files to {outDir}"
        );
        return 0;
    }
}
