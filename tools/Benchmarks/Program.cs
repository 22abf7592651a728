using System.Globalization;
using PvpServerless.Benchmarks;

// dotnet run -c Release --project tools/Benchmarks -- analysis --patients 100000 [--runs 3] [--file path]
// dotnet run -c Release --project tools/Benchmarks -- nightly --patients 10000 [--runs 2]
if (args is ["scheduler", ..])
    return await SchedulerBenchmark.RunAsync(args, CancellationToken.None);
if (args.Length == 0 || args[0] is not ("analysis" or "nightly"))
{
    Console.Error.WriteLine(
        "usage: analysis --patients N [--runs 3] [--file cohort.json] | nightly --patients N [--runs 2]"
    );
    return 2;
}
string? Option(string name)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
var patients = int.Parse(
    Option("patients") ?? (args[0] == "nightly" ? "10000" : "100000"),
    CultureInfo.InvariantCulture
);
if (args[0] == "nightly")
{
    return await NightlyBenchmark.RunAsync(
        patients,
        int.Parse(Option("runs") ?? "2", CultureInfo.InvariantCulture),
        CancellationToken.None
    );
}
var runs = int.Parse(Option("runs") ?? "3", CultureInfo.InvariantCulture);
var file = Option("file") ?? Path.Combine(Path.GetTempPath(), $"pvp-synthetic-{patients}.json");
return AnalysisBenchmark.Run(patients, runs, file);
