using System.CommandLine;
using PvpServerless.Cli.Demo;
using PvpServerless.Cli.Progress;
using PvpServerless.Cohort;
using PvpServerless.Dashboard;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.LocalHost;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp demo</c>: the whole pipeline on this machine. Starts Azurite (fresh, under .pvp/demo/azurite) and the local
/// Functions host, enrols the seed paper's 30 patients through the coordinator API with their X-ray findings,
/// questionnaires, deaths and withdrawals, lists them, runs the nightly report through the admin endpoint and
/// downloads the report folder through the researcher API's short-lived links into .pvp/demo/report/. Then a synthetic
/// study of 14 months runs day by day on the host's moved clock, its patients answering on the survey pages
/// (<see cref="StudySimulation"/>), and the nightly report of the running study (cut-off: its last day, today) is
/// published and downloaded too. Each step shows its progress; a summary with the seed report's Table 1 figures, the
/// study's follow-up counts and response rates, and the running report's follow-up table set against the dashboard's
/// summary of the same day (they must agree, or the demo fails) closes it, before the dashboard's address.
/// </summary>
public static class DemoCommand
{
    private const int Patients = 120;
    private const int Months = 14;

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
        // The functions' clock: the system's until the synthetic study moves it day by day.
        var clock = new StudyClock();
        var stack = await progress.StepAsync(
            "Starting Azurite and the functions",
            () => StartAsync(root, demo, url, cohort, clock, console.Error, cancellationToken)
        );
        try
        {
            var storage = stack
                .StorageConnectionString.Split(';')
                .First(p => p.StartsWith("BlobEndpoint", StringComparison.Ordinal));
            console.Out.WriteLine($"  functions: {url}   storage: {storage}");
            var walk = new DemoWalk(stack, url, Path.Combine(demo, "report"), progress, console.Out);
            var figures = await walk.RunAsync(cohort, cancellationToken);
            var host = new StudyHost(
                stack.Services,
                new Uri(url),
                stack.MasterKey,
                stack.FunctionKeys["researcher"],
                clock
            );
            var study = await progress.StepAsync(
                "Running a synthetic study day by day (scheduler, sender and survey pages on a moved clock)",
                StudySimulation.Days(Months),
                "days",
                report => new StudySimulation(host).RunAsync(Patients, Months, report, cancellationToken)
            );
            var (agreement, running) = await walk.ReportStudyAsync(study.LastDay, cancellationToken);
            progress.WriteSummary([figures, StudyTally.Format(study), agreement]);
            string Pdf(string folder) =>
                Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(folder, "outcomes.pdf"));
            console.Out.WriteLine(
                $"Open {Pdf(walk.Folder!)} to read the seed study's report, {Pdf(running)} the running study's."
            );
            await ServeDashboardAsync(stack, url, console, cancellationToken);
            await progress.StepAsync("Stopping the functions and Azurite", () => stack.StopAsync(context.StopNow));
            return 0;
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    /// <summary>
    /// The dashboard over the demo's study: its sign-in link, and on a terminal the host stays up until Enter or
    /// Ctrl-C, so the link can be opened; in a script the demo ends at once.
    /// </summary>
    private static async Task ServeDashboardAsync(
        LocalStack stack,
        string url,
        CliConsole console,
        CancellationToken cancellationToken
    )
    {
        console.Out.WriteLine($"Dashboard: {await DashboardLink.MakeAsync(stack, url, cancellationToken)}");
        if (!console.OutIsTerminal || Console.IsInputRedirected)
            return;
        console.Out.WriteLine("The dashboard shows the demo's study until you press Enter (or Ctrl-C).");
        console.Out.Flush();
        var line = Task.Run(console.In.ReadLine, CancellationToken.None);
        await Task.WhenAny(line, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    private static Task<LocalStack> StartAsync(
        string root,
        string demo,
        string url,
        CohortDocument cohort,
        TimeProvider clock,
        TextWriter progress,
        CancellationToken cancellationToken
    )
    {
        var settings = new Dictionary<string, string?>
        {
            // A closed study: the report's cut-off is the seed paper's data collection date.
            ["Reports:CutoffDate"] = Codes.Format(cohort.CutoffDate),
            ["LocalHost:RunTimers"] = "false",
            // The study hands each queued e-mail to the sender itself, the day it is queued.
            ["LocalHost:RunQueues"] = "false",
            // Links in e-mails point at this host, whatever port it got: the study's patients follow them.
            ["Clinic:PublicBaseUrl"] = url + "/api",
            // One machine: the dashboard's one-time sign-in links (docs/coordination.md, "Dashboard").
            [DashboardOptions.Section + ":" + nameof(DashboardOptions.LocalSignIn)] = "true",
        };
        var data = Path.Combine(demo, "azurite");
        return LocalStack.StartAsync(root, data, ports: null, url, settings, clock, progress, cancellationToken);
    }
}
