using System.CommandLine;
using PvpServerless.Benchmarks;
using PvpServerless.Cli;

// dotnet run -c Release --project tools/Benchmarks -- analysis --patients 100000 [--runs 3] [--file path]
// dotnet run -c Release --project tools/Benchmarks -- nightly --patients 10000 [--runs 2] [--no-warm-up]
// dotnet run -c Release --project tools/Benchmarks -- scheduler [--small 1000] [--large 100000] [--due 300]
// dotnet run -c Release --project tools/Benchmarks -- summary [--small 1000] [--large 100000] [--calls 25]
// dotnet run -c Release --project tools/Benchmarks -- submissions [--tokens 2000]
// dotnet run -c Release --project tools/Benchmarks -- post-costs [--patients 2000] [--clients 8]
// Progress goes to stderr (live on a terminal, plain lines elsewhere); the timings and a summary to stdout.
var console = CliConsole.System;

var analysisPatients = CliOptions.Int("--patients", "synthetic patients in the cohort file", 100_000, min: 1);
var analysisRuns = CliOptions.Int("--runs", "timed runs of each measurement after a warm-up", 3, min: 1);
var file = CliOptions.Text("--file", "where to write the cohort file (default: the temp folder)", "PATH");
var analysis = new Command("analysis", "time the analysis of a cohort file against reading it")
{
    analysisPatients,
    analysisRuns,
    file,
};
analysis.SetAction(result =>
{
    var patients = result.GetValue(analysisPatients);
    var path = result.GetValue(file) ?? Path.Combine(Path.GetTempPath(), $"pvp-synthetic-{patients}.json");
    return AnalysisBenchmark.RunAsync(patients, result.GetValue(analysisRuns), path, console);
});

var nightlyPatients = CliOptions.Int("--patients", "synthetic patients seeded into Azurite", 10_000, min: 1);
var nightlyRuns = CliOptions.Int("--runs", "timed runs of each measurement after a warm-up", 2, min: 1);
var nightlyCold = new Option<bool>("--no-warm-up")
{
    Description = "time each step without a warm-up run first (100,000 patients: each run takes minutes)",
};
var nightly = new Command("nightly", "time the nightly run against a bare scan of the patients table")
{
    nightlyPatients,
    nightlyRuns,
    nightlyCold,
};
nightly.SetAction(
    (result, cancellationToken) =>
        NightlyBenchmark.RunAsync(
            result.GetValue(nightlyPatients),
            result.GetValue(nightlyRuns),
            !result.GetValue(nightlyCold),
            console,
            cancellationToken
        )
);

var small = CliOptions.Int("--small", "enrolled patients in the small cohort", 1_000, min: 1);
var large = CliOptions.Int("--large", "enrolled patients in the large cohort", 100_000, min: 1);
var due = CliOptions.Int("--due", "waves due on each run's day, the same in both cohorts", 300, min: 1);
var schedulerRuns = CliOptions.Int("--runs", "timed runs of each cohort (the best counts)", 3, min: 1);
var scheduler = new Command("scheduler", "time the follow-up scheduler and sender at two cohort sizes")
{
    small,
    large,
    due,
    schedulerRuns,
};
scheduler.SetAction(
    (result, cancellationToken) =>
        SchedulerBenchmark.RunAsync(
            new SchedulerBenchmark.Settings(
                result.GetValue(small),
                result.GetValue(large),
                result.GetValue(due),
                result.GetValue(schedulerRuns)
            ),
            cancellationToken
        )
);

var summarySmall = CliOptions.Int("--small", "enrolled patients in the small cohort", 1_000, min: 1);
var summaryLarge = CliOptions.Int("--large", "enrolled patients in the large cohort", 100_000, min: 1);
var calls = CliOptions.Int("--calls", "timed summary calls of each cohort (the median counts)", 25, min: 1);
var summary = new Command("summary", "time the coordinator's follow-up summary at two cohort sizes")
{
    summarySmall,
    summaryLarge,
    calls,
};
summary.SetAction(
    (result, cancellationToken) =>
        SummaryBenchmark.RunAsync(
            new SummaryBenchmark.Settings(
                result.GetValue(summarySmall),
                result.GetValue(summaryLarge),
                result.GetValue(calls)
            ),
            cancellationToken
        )
);

var tokens = CliOptions.Int(
    "--tokens",
    "distinct survey links answered at each level (1, 8, 64 clients; 64 on one day)",
    2_000,
    min: 1
);
var submissions = new Command("submissions", "time survey form posts on the local host against Azurite's inserts")
{
    tokens,
};
submissions.SetAction(
    (result, cancellationToken) =>
        SubmissionsBenchmark.RunAsync(result.GetValue(tokens), cancellationToken)
);

var costPatients = CliOptions.Int("--patients", "patients seeded and indexed before the requests", 2_000, min: 1);
var costClients = CliOptions.Int("--clients", "requests at a time", 8, min: 1);
var postCosts = new Command("post-costs", "Azurite's CPU per storage request kind of a survey post")
{
    costPatients,
    costClients,
};
postCosts.SetAction(
    (result, cancellationToken) =>
        SubmissionCosts.RunAsync(result.GetValue(costPatients), result.GetValue(costClients), cancellationToken)
);

var root = new RootCommand("Timings of the core library on synthetic cohorts, against a floor measured alongside.")
{
    analysis,
    nightly,
    scheduler,
    summary,
    submissions,
    postCosts,
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        console.Error.WriteLine($"benchmarks: {error.Message}");
    console.Error.WriteLine(
        "usage: analysis|nightly|scheduler|summary|submissions|post-costs [options]   (--help tells more)"
    );
    return 2;
}
return await parsed.InvokeAsync();
