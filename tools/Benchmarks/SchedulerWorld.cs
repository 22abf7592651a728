using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Hosting;
using PvpServerless.LocalHost;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Benchmarks;

/// <summary>
/// What Azurite itself takes on the same tables: point reads of patient records, inserts into the patients table,
/// one query of an index day. Azurite answers any query by scanning the whole table, so its floor may grow with the
/// rows stored where Azure's would not.
/// </summary>
internal sealed record Floors(double PointReads, double Inserts, double Replaces, double IndexDay);

/// <summary>One deployment: the core services over a storage prefix of their own, SendGrid faked.</summary>
internal sealed class SchedulerWorld(string name, ServiceProvider services) : IAsyncDisposable
{
    public string Name => name;

    public FollowUpScheduler Scheduler => services.GetRequiredService<FollowUpScheduler>();

    private PvpStorage Storage => services.GetRequiredService<PvpStorage>();

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    public static async Task<SchedulerWorld> CreateAsync(
        string name,
        Azurite azurite,
        string sendGridUrl,
        TimeProvider clock,
        CancellationToken cancellationToken
    )
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:NamePrefix"] = name,
            ["InvitationsQueue"] = name + "-invitations",
            ["FollowUp:TokenKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Clinic:PublicBaseUrl"] = "https://pvp.example.dk",
            ["Clinic:Name"] = "Klinik Nord",
            ["Clinic:Phone"] = "+45 70 00 00 00",
            ["Email:Transport"] = "SendGrid",
            ["Email:SendGridApiKey"] = BenchmarkSendGrid.ApiKey,
            ["Email:SendGridHost"] = sendGridUrl,
            ["Email:FromAddress"] = "noreply@example.dk",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        services.AddSingleton(clock);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<PvpStorage>().EnsureCreatedAsync(cancellationToken);
        return new SchedulerWorld(name, provider);
    }

    /// <summary>Synthetic patients written straight into storage, all due long before the runs.</summary>
    public Task SeedAsync(int patients, CancellationToken cancellationToken) =>
        SeedAsync(
            SyntheticCohort.Build(patients, seed: 1, cutoff: SchedulerBenchmark.SyntheticCutoff),
            cancellationToken
        );

    /// <summary>A cohort's patients written straight into storage (record, waves, responses; no contact).</summary>
    public async Task SeedAsync(CohortDocument cohort, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var patients = cohort.Patients.Count;
        await new CohortSeeder(Storage, TimeProvider.System).SeedAsync(
            cohort,
            SchedulerBenchmark.Workers,
            done =>
            {
                if (done % 10_000 == 0)
                    Console.Error.WriteLine($"  {name}: {done:N0} patients seeded");
            },
            cancellationToken
        );
        Console.Error.WriteLine($"  {name}: {patients:N0} seeded in {watch.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Patients enrolled through the enrolment service for a procedure on <paramref name="day"/>.</summary>
    public async Task EnrolAsync(int round, int due, DateOnly day, CancellationToken cancellationToken)
    {
        var enrolment = services.GetRequiredService<EnrolmentService>();
        await Parallel.ForEachAsync(
            Enumerable.Range(1, due),
            new ParallelOptions
            {
                MaxDegreeOfParallelism = SchedulerBenchmark.Workers,
                CancellationToken = cancellationToken,
            },
            async (i, ct) =>
            {
                var request = new EnrolmentRequest(
                    $"DUE-{round}-{i:D4}",
                    "F",
                    70,
                    "multipleMyeloma",
                    "boneMarrowBiopsy",
                    day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    [new LevelRequest("L1", false)],
                    [],
                    $"due-{round}-{i}@patients.example.dk",
                    "da"
                );
                if (await enrolment.EnrolAsync(request, new Actor("benchmark"), ct) is not EnrolmentResult.Created)
                    throw new InvalidOperationException($"Enrolment {i} failed.");
            }
        );
    }

    /// <summary>Every message on the invitations queue through the sender, <see cref="Workers"/> at once.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var sender = services.GetRequiredService<InvitationSender>();
        var queue = Scheduler.Queue;
        var sent = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, SchedulerBenchmark.Workers),
            new ParallelOptions
            {
                MaxDegreeOfParallelism = SchedulerBenchmark.Workers,
                CancellationToken = cancellationToken,
            },
            async (_, ct) =>
            {
                while ((await queue.ReceiveMessageAsync(TimeSpan.FromMinutes(5), ct)).Value is { } message)
                {
                    if (await sender.HandleAsync(message.Body.ToString(), ct) == SendDisposition.Sent)
                        Interlocked.Increment(ref sent);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                }
            }
        );
        return sent;
    }

    public async Task<Floors> TimeFloorsAsync(int due, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 1; i <= due; i++)
            await Storage.Patients.GetEntityAsync<TableEntity>(
                StudyIds.Key($"DUE-0-{i:D4}"),
                "patient",
                cancellationToken: cancellationToken
            );
        var reads = watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (var i = 1; i <= due; i++)
            await Storage.Patients.AddEntityAsync(
                new TableEntity("FLOOR", $"row|{i:D4}") { ["At"] = DateTimeOffset.UtcNow },
                cancellationToken
            );
        var inserts = watch.Elapsed.TotalSeconds;
        // Every due wave's row written back as it is: a scheduler decision's write, without the decision.
        var rows = new List<TableEntity>(due);
        for (var i = 1; i <= due; i++)
            rows.Add(
                await Storage.Patients.GetEntityAsync<TableEntity>(
                    StudyIds.Key($"DUE-0-{i:D4}"),
                    "wave|" + Wave.Baseline.Code(),
                    cancellationToken: cancellationToken
                )
            );
        watch.Restart();
        foreach (var row in rows)
            await Storage.Patients.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        var replaces = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var filter = ScheduleIndex.DueOnFilter(SchedulerBenchmark.RunDay);
        await foreach (var _ in Storage.Schedule.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        { }
        return new Floors(reads, inserts, replaces, watch.Elapsed.TotalSeconds);
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

/// <summary>A run's day (08:00 UTC, 09:00 at the clinic), moving on in real time: timeouts stay real.</summary>
internal sealed class RunDayClock : TimeProvider
{
    private sealed record Origin(DateTimeOffset Start, long Timestamp);

    private Origin _origin = new(DateTimeOffset.UnixEpoch, Stopwatch.GetTimestamp());

    public void Set(DateOnly day) =>
        Volatile.Write(
            ref _origin,
            new Origin(new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero), GetTimestamp())
        );

    public override DateTimeOffset GetUtcNow()
    {
        var origin = Volatile.Read(ref _origin);
        return origin.Start + GetElapsedTime(origin.Timestamp);
    }
}
