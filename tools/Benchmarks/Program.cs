using System.CommandLine;
using PvpServerless.Benchmarks;
using PvpServerless.Cli;

// dotnet run -c Release --project tools/Benchmarks -- analysis --patients 100000 [--runs 3] [--file path]
// dotnet run -c Release --project tools/Benchmarks -- nightly --patients 10000 [--runs 2]
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
var nightly = new Command("nightly", "time the nightly run against a bare scan of the patients table")
{
    nightlyPatients,
    nightlyRuns,
};
nightly.SetAction(
    (result, cancellationToken) =>
        NightlyBenchmark.RunAsync(
            result.GetValue(nightlyPatients),
            result.GetValue(nightlyRuns),
            console,
            cancellationToken
        )
);

var root = new RootCommand("Timings of the core library on synthetic cohorts, against a floor measured alongside.")
{
    analysis,
    nightly,
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        console.Error.WriteLine($"benchmarks: {error.Message}");
    console.Error.WriteLine("usage: analysis|nightly [options]   (--help tells more)");
    return 2;
}
return await parsed.InvokeAsync();
