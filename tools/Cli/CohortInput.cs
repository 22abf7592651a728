using System.Globalization;
using PvpServerless.Analysis;
using PvpServerless.Cohort;

namespace PvpServerless.Cli;

/// <summary>The cohort file and analysis settings of the verbs that analyse a researcher's export (stats, report).</summary>
public static class CohortInput
{
    public const string Usage = "--input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]";

    /// <summary>--mcid-eq5d and --mcid-odi, each defaulting to <see cref="AnalysisOptions.Default"/>; false when one is not a number.</summary>
    public static bool TryOptions(CliArgs args, out AnalysisOptions options)
    {
        var ok = TryNumber(args, "mcid-eq5d", AnalysisOptions.Default.Eq5dMcid, out var eq5dMcid)
                 & TryNumber(args, "mcid-odi", AnalysisOptions.Default.OdiMcid, out var odiMcid);
        options = new AnalysisOptions(eq5dMcid, odiMcid);
        return ok;
    }

    /// <summary>
    /// Loads and validates the cohort file; on a broken rule or an unreadable file, says why on stderr (the loader's
    /// message names the patient and field) and returns null.
    /// </summary>
    public static async Task<CohortDocument?> ReadAsync(string verb, string path, CliConsole console, CancellationToken cancellationToken)
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
        if (args.Option(name) is not { } text) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)) return true;
        value = fallback;
        return false;
    }
}
