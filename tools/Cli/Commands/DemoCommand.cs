using System.CommandLine;
using PvpServerless.Cli.Demo;
using PvpServerless.Cli.Progress;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.LocalHost;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp demo</c>: the whole pipeline on this machine. Starts Azurite (fresh, under .pvp/demo/azurite) and the local
/// Functions host, enrols the seed paper's 30 patients through the coordinator API with their X-ray findings,
/// questionnaires, deaths and withdrawals, lists them, runs the nightly report through the admin endpoint and
/// downloads the report folder through the researcher API's short-lived links into .pvp/demo/report/. Each step shows
/// its progress; a summary with the report's Table 1 figures closes it.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "demo",
            "enrol the seed cohort through the API, list it, run the nightly report and fetch it"
        );
        command.SetAction((_, cancellationToken) => RunAsync(context, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var (console, root) = (context.Console, Repo.Root);
        var demo = Path.Combine(root, ".pvp", "demo");
        if (DataFolderLock.IsHeld(Path.Combine(demo, "azurite")))
        {
            console.Error.WriteLine("pvp demo: another ./pvp demo is running; let it finish first.");
            return 1;
        }
        if (Directory.Exists(demo))
            Directory.Delete(demo, recursive: true);
        var cohort = SeedCohort.Build();
        var url = $"http://127.0.0.1:{(Azurite.IsFree(7071) ? 7071 : Azurite.FreePort())}";
        var progress = ProgressDisplay.For(console.Out, console.OutIsTerminal, context.Clock);
        var stack = await progress.StepAsync(
            "Starting Azurite and the functions",
            () => StartAsync(root, demo, url, cohort, console.Error, cancellationToken)
        );
        try
        {
            var storage = stack
                .StorageConnectionString.Split(';')
                .First(p => p.StartsWith("BlobEndpoint", StringComparison.Ordinal));
            console.Out.WriteLine($"  functions: {url}   storage: {storage}");
            var walk = new DemoWalk(stack, url, Path.Combine(demo, "report"), progress, console.Out);
            var figures = await walk.RunAsync(cohort, cancellationToken);
            var simulation = new StudySimulation(stack.StorageConnectionString, url + "/api");
            var tallies = await progress.StepAsync(
                "Running a synthetic study day by day (scheduler and sender, moved clock)",
                StudySimulation.Days,
                "days",
                report => simulation.RunAsync(120, report, cancellationToken)
            );
            await progress.StepAsync("Stopping the functions and Azurite", () => stack.StopAsync(context.StopNow));
            progress.WriteSummary([figures, StudySimulation.Format(tallies)]);
            var pdf = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(walk.Folder!, "outcomes.pdf"));
            console.Out.WriteLine($"Open {pdf} to read the report.");
            return 0;
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    private static Task<LocalStack> StartAsync(
        string root,
        string demo,
        string url,
        CohortDocument cohort,
        TextWriter progress,
        CancellationToken cancellationToken
    )
    {
        var settings = new Dictionary<string, string?>
        {
            // A closed study: the report's cut-off is the seed paper's data collection date.
            ["Reports:CutoffDate"] = Codes.Format(cohort.CutoffDate),
            ["LocalHost:RunTimers"] = "false",
        };
        var data = Path.Combine(demo, "azurite");
        return LocalStack.StartAsync(root, data, ports: null, url, settings, progress, cancellationToken);
    }
}
