using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using PvpServerless.Demo;
using PvpServerless.LocalHost;
using PvpServerless.Storage;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp seed --patients N</c>: writes N synthetic patients into the local storage with batched transactions
/// (into ./pvp up's Azurite when it runs, else into .pvp/azurite directly), for load tests and benchmarks.
/// </summary>
public sealed class SeedCommand(TimeProvider clock) : ICliCommand
{
    public SeedCommand()
        : this(TimeProvider.System) { }

    public string Name => "seed";

    public string Summary =>
        "write N synthetic patients into local storage: --patients N [--seed 1] [--storage CONNECTION] [--prefix P]";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        if (
            !int.TryParse(args.Option("patients"), NumberStyles.None, CultureInfo.InvariantCulture, out var patients)
            || patients < 1
        )
        {
            console.Error.WriteLine("pvp seed: --patients N is required (a whole number ≥ 1).");
            return 2;
        }
        var seed = int.TryParse(args.Option("seed", "1"), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? s
            : 1;

        Azurite? own = null;
        var connection = args.Option("storage");
        if (connection is null && !Azurite.IsFree(10002))
        {
            // ./pvp up holds Azurite's usual ports: seed into it.
            connection = Azurite.ConnectionStringFor(10000, 10001, 10002);
        }
        else if (connection is null)
        {
            own = await Azurite.StartAsync(
                Repo.Root,
                Path.Combine(Repo.Root, ".pvp", "azurite"),
                (10000, 10001, 10002),
                console.Error,
                cancellationToken
            );
            connection = own.ConnectionString;
        }
        try
        {
            var storage = new PvpStorage(
                Options.Create(
                    new StorageOptions { ConnectionString = connection, NamePrefix = args.Option("prefix", "") }
                )
            );
            await storage.EnsureCreatedAsync(cancellationToken);
            var cohort = SyntheticCohort.Build(patients, seed, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            var rows = cohort.Patients.Sum(p => 5 + p.Responses.Count) + 3 * patients;
            var started = Stopwatch.GetTimestamp();
            var written = await new CohortSeeder(storage, clock).SeedAsync(
                cohort,
                parallelism: 8,
                n => console.Error.Write($"\r  {n:N0} / {patients:N0}"),
                cancellationToken
            );
            var elapsed = Stopwatch.GetElapsedTime(started);
            console.Error.WriteLine();
            console.Out.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Seeded {written:N0} synthetic patients ({rows:N0} rows) in {elapsed.TotalSeconds:F1} s: {written / elapsed.TotalSeconds:N0} patients/s, {rows / elapsed.TotalSeconds:N0} rows/s."
                )
            );
            return 0;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }
}
