using PvpServerless.Hosting;
using PvpServerless.Reports.Bundle;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp report --input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]</c>: the nightly report folder
/// (outcomes.pdf, outcomes.json, cohort.json, CSV files, data-dictionary.csv, manifest.json) from a researcher's
/// cohort export, built by the same <see cref="ReportBundle.Build"/> as the nightly function. Prints each path written
/// on stdout. A malformed cohort is refused with the place named, and nothing is written.
/// </summary>
public sealed class ReportCommand(TimeProvider clock) : ICliCommand
{
    public ReportCommand()
        : this(TimeProvider.System) { }

    public string Name => "report";

    public string Summary => $"render the report folder (PDF, data, manifest): {CohortInput.Usage}";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        var (job, exitCode) = await CohortInput.ReadJobAsync(Name, args, console, cancellationToken);
        if (job is null)
            return exitCode;
        var (cohort, options, outDir) = job;

        var bundle = ReportBundle.Build(cohort, options, SoftwareVersion.Current, clock);
        var paths = await CohortInput.WriteAsync(
            Name,
            outDir,
            bundle.Files.Select(f => (f.Name, f.Content)).ToList(),
            console,
            cancellationToken
        );
        if (paths is null)
            return 1;
        foreach (var path in paths)
            await console.Out.WriteLineAsync(path);
        // The summary goes to stderr so stdout stays a plain list of paths for scripts.
        await console.Error.WriteLineAsync(
            $"{Name}: {cohort.Patients.Count} patient{(cohort.Patients.Count == 1 ? "" : "s")}, cut-off {cohort.CutoffDate:yyyy-MM-dd}, {bundle.Pages}-page PDF; "
                + $"wrote {paths.Count} files to {outDir}"
        );
        return 0;
    }
}
