using System.Globalization;
using PvpServerless.Analysis;
using PvpServerless.Cohort;

namespace PvpServerless.Cli;

/// <summary>What a verb that analyses a researcher's export was asked to do: the loaded cohort, the settings, the folder.</summary>
public sealed record CohortJob(CohortDocument Cohort, AnalysisOptions Options, string OutDir);

/// <summary>The cohort file and analysis settings of the verbs that analyse a researcher's export (stats, report).</summary>
public static class CohortInput
{
    /// <summary>
    /// Reads the arguments and the cohort; on any problem, says why on stderr and returns the exit code instead
    /// (2 for usage, 1 for a refused or unreadable cohort).
    /// </summary>
    public static async Task<(CohortJob? Job, int ExitCode)> ReadJobAsync(
        string verb,
        CliArgs args,
        CliConsole console,
        CancellationToken cancellationToken
    )
    {
        if (args.Option("input") is not { } input || args.Option("out") is not { } outDir)
        {
            await console.Error.WriteLineAsync($"usage: ./pvp {verb} {Usage}");
            return (null, 2);
        }
        if (!TryOptions(args, out var options))
        {
            await console.Error.WriteLineAsync($"{verb}: --mcid-eq5d and --mcid-odi take a number, e.g. 0.12");
            return (null, 2);
        }
        return await ReadAsync(verb, input, console, cancellationToken) is { } cohort
            ? (new CohortJob(cohort, options, outDir), 0)
            : (null, 1);
    }

    /// <summary>Writes every file or none (<see cref="OutputFolder"/>); on failure says why and returns null.</summary>
    public static async Task<IReadOnlyList<string>?> WriteAsync(
        string verb,
        string outDir,
        IReadOnlyList<(string Name, byte[] Content)> files,
        CliConsole console,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await OutputFolder.WriteAllAsync(outDir, files, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"{verb}: cannot write {outDir}, nothing written: {e.Message}");
            return null;
        }
    }

    public const string Usage = "--input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]";

    /// <summary>--mcid-eq5d and --mcid-odi, each defaulting to <see cref="AnalysisOptions.Default"/>; false when one is not a number.</summary>
    public static bool TryOptions(CliArgs args, out AnalysisOptions options)
    {
        var ok =
            TryNumber(args, "mcid-eq5d", AnalysisOptions.Default.Eq5dMcid, out var eq5dMcid)
            & TryNumber(args, "mcid-odi", AnalysisOptions.Default.OdiMcid, out var odiMcid);
        options = new AnalysisOptions(eq5dMcid, odiMcid);
        return ok;
    }

    /// <summary>
    /// Loads and validates the cohort file; on a broken rule or an unreadable file, says why on stderr (the loader's
    /// message names the patient and field) and returns null.
    /// </summary>
    public static async Task<CohortDocument?> ReadAsync(
        string verb,
        string path,
        CliConsole console,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return CohortJson.Read(await File.ReadAllBytesAsync(path, cancellationToken));
        }
        catch (CohortFormatException e)
        {
            await console.Error.WriteLineAsync($"{verb}: {path} is refused, nothing written: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"{verb}: cannot read {path}: {e.Message}");
        }
        return null;
    }

    private static bool TryNumber(CliArgs args, string name, double fallback, out double value)
    {
        value = fallback;
        if (args.Option(name) is not { } text)
            return true;
        if (
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)
        )
            return true;
        value = fallback;
        return false;
    }
}
