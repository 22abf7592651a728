using System.CommandLine;
using PvpServerless.Hosting;
using PvpServerless.Reports.Bundle;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp report --input cohort.json --out DIR [--mcid-eq5d 0.12] [--mcid-odi 10]</c>: the nightly report folder
/// (outcomes.pdf, outcomes.json, cohort.json, CSV files, data-dictionary.csv, manifest.json) from a researcher's
/// cohort export, built by the same <see cref="ReportBundle.Build"/> as the nightly function. Prints each path written
/// on stdout. A malformed cohort is refused with the place named, and nothing is written.
/// </summary>
public static class ReportCommand
{
    private const string Name = "report";

    public static Command Create(CliContext context) =>
        CohortOptions.CreateCommand(
            Name,
            "render the nightly report folder (PDF, data, manifest) from a cohort file",
            context.Console,
            (job, cancellationToken) => RunAsync(job, context, cancellationToken)
        );

    private static async Task<int> RunAsync(CohortJob job, CliContext context, CancellationToken cancellationToken)
    {
        var (cohort, options, outDir) = job;
        var console = context.Console;
        var bundle = ReportBundle.Build(cohort, options, SoftwareVersion.Current, context.Clock);
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
            $"{Name}: {cohort.Patients.Count} patient{(cohort.Patients.Count == 1 ? "" : "s")}, cut-off "
                + $"{cohort.CutoffDate:yyyy-MM-dd}, {bundle.Pages}-page PDF; wrote {paths.Count} files to {outDir}"
        );
        return 0;
    }
}
