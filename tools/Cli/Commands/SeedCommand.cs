using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using PvpServerless.Cli.Progress;
using PvpServerless.Demo;
using PvpServerless.LocalHost;
using PvpServerless.Storage;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp seed --patients N</c>: writes N synthetic patients into the local storage with batched transactions
/// (into the Azurite of a running ./pvp up, else into .pvp/azurite directly), for load tests and benchmarks. Progress
/// on stderr; the one-line result on stdout.
/// </summary>
public static class SeedCommand
{
    public static Command Create(CliContext context)
    {
        var patients = CliOptions.Int("--patients", "how many synthetic patients to write", fallback: null, min: 1);
        var seed = CliOptions.Int(
            "--seed",
            "the random seed: the same seed gives the same patients",
            fallback: 1,
            min: 0
        );
        var storage = CliOptions.Storage();
        var prefix = CliOptions.Prefix();
        var command = new Command("seed", "write N synthetic patients straight into local storage")
        {
            patients,
            seed,
            storage,
            prefix,
        };
        command.SetAction(
            (result, cancellationToken) =>
                RunAsync(
                    new SeedJob(
                        result.GetValue(patients),
                        result.GetValue(seed),
                        result.GetValue(storage),
                        result.GetValue(prefix) ?? ""
                    ),
                    context,
                    cancellationToken
                )
        );
        return command;
    }

    private sealed record SeedJob(int Patients, int Seed, string? Storage, string Prefix);

    private static async Task<int> RunAsync(SeedJob job, CliContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var progress = ProgressDisplay.For(console.Error, console.ErrorIsTerminal, context.Clock);
        var data = Path.Combine(Repo.Root, ".pvp", "azurite");
        Azurite? own = null;
        var connection = job.Storage;
        if (connection is null && DataFolderLock.RunningPorts(data) is { } running)
        {
            // ./pvp up (or another seed) runs Azurite on the data folder: write through it.
            connection = Azurite.ConnectionStringFor(running.Blob, running.Queue, running.Table);
        }
        else if (connection is null)
        {
            var ports = new[] { 10000, 10001, 10002 }.All(Azurite.IsFree)
                ? (10000, 10001, 10002)
                : ((int, int, int)?)null;
            own = await progress.StepAsync(
                "Starting Azurite on .pvp/azurite",
                () => Azurite.StartAsync(Repo.Root, data, ports, console.Error, cancellationToken)
            );
            connection = own.ConnectionString;
        }
        try
        {
            return await SeedAsync(job, connection, progress, context, cancellationToken);
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    private static async Task<int> SeedAsync(
        SeedJob job,
        string connection,
        ProgressDisplay progress,
        CliContext context,
        CancellationToken cancellationToken
    )
    {
        var storage = new PvpStorage(
            Options.Create(new StorageOptions { ConnectionString = connection, NamePrefix = job.Prefix })
        );
        await storage.EnsureCreatedAsync(cancellationToken);
        var today = DateOnly.FromDateTime(context.Clock.GetUtcNow().UtcDateTime);
        var cohort = await progress.StepAsync(
            $"Making {job.Patients:N0} synthetic patients (seed {job.Seed})",
            () => Task.FromResult(SyntheticCohort.Build(job.Patients, job.Seed, today))
        );
        var rows = cohort.Patients.Sum(p => 5 + p.Responses.Count) + 3 * job.Patients;
        var written = await progress.StepAsync(
            "Writing them, a transaction per patient",
            job.Patients,
            "patients",
            report =>
                new CohortSeeder(storage, context.Clock).SeedAsync(
                    cohort,
                    parallelism: 8,
                    n => report(n),
                    cancellationToken
                )
        );
        var elapsed = progress.Steps[^1].Elapsed;
        progress.WriteSummary([]);
        context.Console.Out.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Seeded {written:N0} synthetic patients ({rows:N0} rows) in {elapsed.TotalSeconds:F1} s: "
                    + $"{written / elapsed.TotalSeconds:N0} patients/s, {rows / elapsed.TotalSeconds:N0} rows/s."
            )
        );
        return 0;
    }
}
