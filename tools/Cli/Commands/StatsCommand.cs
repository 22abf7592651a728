using PvpServerless.Analysis;
using PvpServerless.Analysis.Export;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp stats --input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]</c>: the outcome analysis offline.
/// Writes outcomes.json, the CSV files and data-dictionary.csv. A malformed cohort is refused with the place named,
/// and then nothing is written: every file is built in memory first, then written by <see cref="OutputFolder"/>.
/// </summary>
public sealed class StatsCommand(TimeProvider clock) : ICliCommand
{
    public StatsCommand()
        : this(TimeProvider.System) { }

    public string Name => "stats";

    public string Summary => $"analyse a cohort file: {CohortInput.Usage}";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        var (job, exitCode) = await CohortInput.ReadJobAsync(Name, args, console, cancellationToken);
        if (job is null)
            return exitCode;
        var (cohort, options, outDir) = job;

        var scores = OutcomeAnalysis.Score(cohort);
        var outcomes = OutcomeAnalysis.Analyse(cohort, scores, options, Provenance.For(cohort, clock));
        var files = OutcomeFiles.Write(cohort, outcomes, scores);
        if (
            await CohortInput.WriteAsync(
                Name,
                outDir,
                files.Select(f => (f.Name, f.Content)).ToList(),
                console,
                cancellationToken
            )
            is null
        )
            return 1;
        await console.Out.WriteLineAsync(
            $"stats: {cohort.Patients.Count} patients, {outcomes.Comparisons.Count} comparisons; wrote {files.Count} files to {outDir}"
        );
        return 0;
    }
}
