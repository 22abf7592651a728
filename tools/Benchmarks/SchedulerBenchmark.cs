using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Demo;
using PvpServerless.FollowUp;
using PvpServerless.Hosting;
using PvpServerless.LocalHost;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Benchmarks;

/// <summary>
/// The follow-up scheduler's promise, that a run costs what is due and not what is enrolled: a small and a large
/// cohort seeded into one in-memory Azurite (each under a storage prefix of its own), the same number of waves due on
/// each run's day in both, runs of the two sizes taken in turn (so both see the same machine load), best of several.
/// Then the sender's e-mails per second against a local fake of SendGrid. Floors measured alongside: Azurite's own
/// reads, inserts and index query on the same tables, and a bare queue round trip (send, receive, delete).
/// </summary>
internal static class SchedulerBenchmark
{
    /// <summary>The first run's day: years after every synthetic due date, so only enrolled waves are due.</summary>
    internal static readonly DateOnly RunDay = new(2031, 3, 3);

    internal static readonly DateOnly SyntheticCutoff = new(2028, 1, 1);

    internal const int Workers = 8;

    /// <summary>One cohort size: best scheduler run, best sender rate, whether every run did its work.</summary>
    private sealed record Result(double Run, double EmailsPerSecond, bool Ok);

    /// <summary>The two cohort sizes, the waves due on each run's day, and the timed runs of each.</summary>
    public sealed record Settings(int Small, int Large, int Due, int Runs);

    public static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var (sizes, due, runs) = (new[] { settings.Small, settings.Large }, settings.Due, settings.Runs);
        await using var azurite = await Azurite.StartAsync(FindRoot(), null, null, Console.Error, cancellationToken);
        await using var sendGrid = await BenchmarkSendGrid.StartAsync(cancellationToken);
        var clock = new RunDayClock();
        await using var small = await SchedulerWorld.CreateAsync(
            "small",
            azurite,
            sendGrid.Url,
            clock,
            cancellationToken
        );
        await using var large = await SchedulerWorld.CreateAsync(
            "large",
            azurite,
            sendGrid.Url,
            clock,
            cancellationToken
        );
        await small.SeedAsync(sizes[0], cancellationToken);
        await large.SeedAsync(sizes[1], cancellationToken);

        var results = await MeasureAsync([small, large], due, runs, clock, cancellationToken);
        var floors = new[]
        {
            await small.TimeFloorsAsync(due, cancellationToken),
            await large.TimeFloorsAsync(due, cancellationToken),
        };
        var roundTrip = double.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var seconds = await TimeQueueRoundTripAsync(azurite.ConnectionString, due, cancellationToken);
            roundTrip = Math.Min(roundTrip, seconds);
        }
        Print(sizes, due, runs, results, floors, due / roundTrip, sendGrid.Requests);
        return results.All(r => r.Ok) ? 0 : 1;
    }

    /// <summary>
    /// Each round, three days apart: an untimed run on the day before (it completes the previous round's days), then
    /// <paramref name="due"/> patients enrolled for a procedure that day, whose baseline waves are all the timed run
    /// finds due; then their messages through the sender, timed. Every world in turn at each step.
    /// </summary>
    private static async Task<Result[]> MeasureAsync(
        SchedulerWorld[] worlds,
        int due,
        int runs,
        RunDayClock clock,
        CancellationToken cancellationToken
    )
    {
        var results = worlds.Select(_ => new Result(double.MaxValue, 0, true)).ToArray();
        for (var r = 0; r < runs; r++)
        {
            var day = RunDay.AddDays(3 * r);
            clock.Set(day.AddDays(-1));
            foreach (var world in worlds)
                await world.Scheduler.RunAsync(cancellationToken);
            clock.Set(day);
            foreach (var world in worlds)
                await world.EnrolAsync(r, due, day, cancellationToken);
            for (var w = 0; w < worlds.Length; w++)
            {
                var (run, seconds) = await TimeAsync(() => worlds[w].Scheduler.RunAsync(cancellationToken));
                var (sent, sending) = await TimeAsync(() => worlds[w].DrainAsync(cancellationToken));
                var ok = run.Visited == due && run.Invitations == due && sent == due;
                Console.Error.WriteLine(
                    $"  round {r + 1}, {worlds[w].Name}: run {seconds:F2} s; {sent / sending:F0} e-mails/s"
                );
                results[w] = new Result(
                    Math.Min(results[w].Run, seconds),
                    Math.Max(results[w].EmailsPerSecond, sent / sending),
                    results[w].Ok && ok
                );
            }
        }
        return results;
    }

    private static void Print(int[] sizes, int due, int runs, Result[] results, Floors[] floors, double queue, int sent)
    {
        void Row(string what, double a, double b, string unit) =>
            Console.WriteLine($"  {what,-46} {a,9:F3} {b,9:F3} {unit,-10} ratio {b / a:F2}");
        Console.WriteLine($"{"best of " + runs,-48} {sizes[0],9:N0} {sizes[1],9:N0} enrolled");
        Row($"scheduler run, {due} waves due", results[0].Run, results[1].Run, "s");
        Row($"floor: {due} point reads of a patient", floors[0].PointReads, floors[1].PointReads, "s");
        Row($"floor: {due} inserts into the patients table", floors[0].Inserts, floors[1].Inserts, "s");
        Row($"floor: {due} replaces of a wave row", floors[0].Replaces, floors[1].Replaces, "s");
        Row("floor: one index-day query", floors[0].IndexDay, floors[1].IndexDay, "s");
        Row(
            $"sender, {Workers} at once, fake SendGrid",
            results[0].EmailsPerSecond,
            results[1].EmailsPerSecond,
            "e-mails/s"
        );
        Console.WriteLine($"  floor: bare queue round trip (send, receive, delete), {Workers} at once: {queue:N0}/s");
        var ratio = results[1].Run / results[0].Run;
        var writes = floors[1].Replaces / floors[0].Replaces;
        Console.WriteLine($"scheduler large/small: {ratio:F2} (target <= 1.5); {sent:N0} e-mails");
        // Azurite's own write cost grows with the table (docs/follow-up.md, "Cost"); Azure's does not.
        Console.WriteLine($"  the same over Azurite's own write floor (large/small {writes:F2}): {ratio / writes:F2}");
        Timing.PrintPeakMemory(Console.Out);
    }

    private static async Task<(T Result, double Seconds)> TimeAsync<T>(Func<Task<T>> work)
    {
        var watch = Stopwatch.StartNew();
        var result = await work();
        return (result, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Invitation-sized messages sent, received and deleted, <see cref="Workers"/> at once.</summary>
    private static async Task<double> TimeQueueRoundTripAsync(string connection, int count, CancellationToken ct)
    {
        var queue = new QueueServiceClient(connection).GetQueueClient("floor-roundtrip");
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        var text = InvitationMessage.Serialize(new InvitationMessage("SYN-000001", "3m", Email.EmailIds.New()));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = ct };
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            parallel,
            async (_, t) => await queue.SendMessageAsync(text, t)
        );
        var received = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Workers),
            parallel,
            async (_, token) =>
            {
                while (Volatile.Read(ref received) < count)
                {
                    if ((await queue.ReceiveMessageAsync(cancellationToken: token)).Value is not { } message)
                        continue;
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, token);
                    Interlocked.Increment(ref received);
                }
            }
        );
        return watch.Elapsed.TotalSeconds;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PvpServerless.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Run from inside the checkout.");
    }
}
