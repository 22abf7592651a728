using System.CommandLine;
using PvpServerless.Analysis;
using PvpServerless.Cohort;

namespace PvpServerless.Cli;

/// <summary>
/// What a verb that analyses a researcher's export was asked to do: the loaded cohort, the settings, the folder.
/// </summary>
public sealed record CohortJob(CohortDocument Cohort, AnalysisOptions Options, string OutDir);

/// <summary>The options shared by the verbs that analyse a researcher's export (stats, report).</summary>
public sealed class CohortOptions
{
    public Option<FileInfo> Input { get; } =
        CliOptions.ExistingFile("--input", "the cohort file, as GET /api/exports/cohort.json gives it", "cohort.json");

    public Option<DirectoryInfo> Out { get; } =
        CliOptions.Folder("--out", "the folder to write; made when missing, files in it are replaced", "DIR");

    public Option<double> McidEq5d { get; } =
        CliOptions.Number(
            "--mcid-eq5d",
            "minimal clinically important difference of the EQ-5D index",
            AnalysisOptions.Default.Eq5dMcid
        );

    public Option<double> McidOdi { get; } =
        CliOptions.Number(
            "--mcid-odi",
            "minimal clinically important difference of the ODI",
            AnalysisOptions.Default.OdiMcid
        );

    /// <summary>
    /// A verb over a cohort file: these options, and <paramref name="run"/> once the file has loaded (exit 1 if not).
    /// </summary>
    public static Command CreateCommand(
        string verb,
        string description,
        CliConsole console,
        Func<CohortJob, CancellationToken, Task<int>> run
    )
    {
        var options = new CohortOptions();
        var command = new Command(verb, description);
        options.AddTo(command);
        command.SetAction(
            async (result, cancellationToken) =>
                await options.ReadJobAsync(result, verb, console, cancellationToken) is { } job
                    ? await run(job, cancellationToken)
                    : 1
        );
        return command;
    }

    public void AddTo(Command command)
    {
        command.Add(Input);
        command.Add(Out);
        command.Add(McidEq5d);
        command.Add(McidOdi);
    }

    /// <summary>
    /// Loads the cohort; on a broken rule or an unreadable file, says why on stderr (the loader's message names the
    /// patient and field) and returns null.
    /// </summary>
    public async Task<CohortJob?> ReadJobAsync(
        ParseResult result,
        string verb,
        CliConsole console,
        CancellationToken cancellationToken
    )
    {
        var input = result.GetRequiredValue(Input).ToString();
        var options = new AnalysisOptions(result.GetValue(McidEq5d), result.GetValue(McidOdi));
        return await CohortInput.ReadAsync(verb, input, console, cancellationToken) is { } cohort
            ? new CohortJob(cohort, options, result.GetRequiredValue(Out).ToString())
            : null;
    }
}

/// <summary>Reading a cohort file and writing a folder of results, for the verbs that analyse an export.</summary>
public static class CohortInput
{
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
}
