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
    public StatsCommand() : this(TimeProvider.System) { }

    public string Name => "stats";

    public string Summary => $"analyse a cohort file: {CohortInput.Usage}";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Option("input") is not { } input || args.Option("out") is not { } outDir)
        {
            await console.Error.WriteLineAsync($"usage: ./pvp {Name} {CohortInput.Usage}");
            return 2;
        }
        if (!CohortInput.TryOptions(args, out var options))
        {
            await console.Error.WriteLineAsync($"{Name}: --mcid-eq5d and --mcid-odi take a number, e.g. 0.12");
            return 2;
        }
        if (await CohortInput.ReadAsync(Name, input, console, cancellationToken) is not { } cohort) return 1;

        var outcomes = OutcomeAnalysis.Analyse(cohort, options, Provenance.For(cohort, clock));
        var files = OutcomeFiles.Write(cohort, outcomes);
        try
        {
            await OutputFolder.WriteAllAsync(outDir, files.Select(f => (f.Name, f.Content)).ToList(), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"{Name}: cannot write {outDir}, nothing written: {e.Message}");
            return 1;
        }
        await console.Out.WriteLineAsync(
            $"stats: {cohort.Patients.Count} patients, {outcomes.Comparisons.Count} comparisons; wrote {files.Count} files to {outDir}");
        return 0;
    }
}
