using System.Globalization;
using PvpServerless.Analysis;
using PvpServerless.Analysis.Export;
using PvpServerless.Cohort;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp stats --input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]</c>: the outcome analysis offline.
/// Writes outcomes.json, the CSV files and data-dictionary.csv. A malformed cohort is refused with the place named,
/// and then nothing is written: every file is built in memory first.
/// </summary>
public sealed class StatsCommand(TimeProvider clock) : ICliCommand
{
    public StatsCommand() : this(TimeProvider.System) { }

    public string Name => "stats";

    public string Summary => "analyse a cohort file: --input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Option("input") is not { } input || args.Option("out") is not { } outDir)
        {
            await console.Error.WriteLineAsync($"usage: ./pvp {Name} --input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]");
            return 2;
        }
        if (!TryNumber(args, "mcid-eq5d", AnalysisOptions.Default.Eq5dMcid, out var eq5dMcid)
            || !TryNumber(args, "mcid-odi", AnalysisOptions.Default.OdiMcid, out var odiMcid))
        {
            await console.Error.WriteLineAsync("stats: --mcid-eq5d and --mcid-odi take a number, e.g. 0.12");
            return 2;
        }

        CohortDocument cohort;
        try
        {
            cohort = CohortJson.Read(await File.ReadAllBytesAsync(input, cancellationToken));
        }
        catch (CohortFormatException e)
        {
            await console.Error.WriteLineAsync($"stats: {input} is refused, nothing written: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            await console.Error.WriteLineAsync($"stats: cannot read {input}: {e.Message}");
            return 1;
        }

        var outcomes = OutcomeAnalysis.Analyse(cohort, new AnalysisOptions(eq5dMcid, odiMcid), Provenance.For(cohort, clock));
        var files = OutcomeFiles.Write(cohort, outcomes);
        await WriteAllAsync(outDir, files, cancellationToken);
        await console.Out.WriteLineAsync(
            $"stats: {cohort.Patients.Count} patients, {outcomes.Comparisons.Count} comparisons; wrote {files.Count} files to {outDir}");
        return 0;
    }

    /// <summary>Each file goes to a temporary name first and is then moved into place, so no file is left half-written.</summary>
    private static async Task WriteAllAsync(string dir, IReadOnlyList<OutcomeFile> files, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dir);
        foreach (var file in files)
        {
            var target = Path.Combine(dir, file.Name);
            var temporary = target + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            await File.WriteAllBytesAsync(temporary, file.Content, cancellationToken);
            File.Move(temporary, target, overwrite: true);
        }
    }

    private static bool TryNumber(CliArgs args, string name, double fallback, out double value)
    {
        value = fallback;
        return args.Option(name) is not { } text
            || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}
