using System.Diagnostics;
using Azure.Data.Tables;
using PvpServerless.Cohort;
using PvpServerless.Coordination;
using PvpServerless.Demo;
using PvpServerless.FollowUp;
using PvpServerless.LocalHost;
using PvpServerless.Storage;

namespace PvpServerless.Benchmarks;

/// <summary>
/// The coordinator summary's promise, that it costs what the study's days hold and not what is enrolled: a small and
/// a large cohort, procedures over the same 14 months, seeded into one in-memory Azurite (each under a prefix of its
/// own), their status index built by the check's repair (a rebuild from nothing), then the summary asked of each in
/// turn, the median of many calls. Floors in the same run: a point read, and a bare read of the rows the summary reads.
/// </summary>
internal static class SummaryBenchmark
{
    /// <summary>The study's span: procedures in the 14 months before <see cref="Cutoff"/>, as in the demo.</summary>
    private const int SpanDays = 425;

    private static readonly DateOnly Cutoff = new(2027, 6, 30);

    /// <summary>The summary's cut-off: after every due date, so every wave counts in a rate.</summary>
    private static readonly DateOnly AsOf = new(2028, 8, 31);

    public sealed record Settings(int Small, int Large, int Calls);

    private sealed record Timings(double Summary, double PointRead, double BareRows, int Rows, double Rebuild);

    public static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        await using var azurite = await Azurite.StartAsync(FindRoot(), null, null, Console.Error, cancellationToken);
        await using var sendGrid = await BenchmarkSendGrid.StartAsync(cancellationToken);
        var clock = new RunDayClock();
        clock.Set(AsOf);
        var sizes = new[] { settings.Small, settings.Large };
        var worlds = new List<SchedulerWorld>();
        try
        {
            foreach (var (size, name) in sizes.Zip(["small", "large"]))
                worlds.Add(await SchedulerWorld.CreateAsync(name, azurite, sendGrid.Url, clock, cancellationToken));
            var rebuilds = new double[2];
            for (var w = 0; w < 2; w++)
            {
                await worlds[w].SeedAsync(Compressed(sizes[w]), cancellationToken);
                var watch = Stopwatch.StartNew();
                var report = await worlds[w].Get<StatusIndexCheck>().RunAsync(repair: true, cancellationToken);
                rebuilds[w] = watch.Elapsed.TotalSeconds;
                Console.Error.WriteLine($"  {worlds[w].Name}: index built in {rebuilds[w]:F1} s: {report}");
            }
            var timings = await MeasureAsync(worlds, settings.Calls, rebuilds, cancellationToken);
            var met = Print(sizes, settings.Calls, timings);
            Timing.PrintPeakMemory(Console.Out);
            return met ? 0 : 1;
        }
        finally
        {
            foreach (var world in worlds)
                await world.DisposeAsync();
        }
    }

    /// <summary>The synthetic cohort, each patient's dates moved: procedures in the last 14 months.</summary>
    private static CohortDocument Compressed(int patients)
    {
        var cohort = SyntheticCohort.Build(patients, seed: 1, cutoff: Cutoff);
        return cohort with
        {
            Patients =
            [
                .. cohort.Patients.Select(p =>
                {
                    var shift = Cutoff.DayNumber - p.ProcedureDate.DayNumber;
                    var days = shift - shift % SpanDays;
                    return p with
                    {
                        ProcedureDate = p.ProcedureDate.AddDays(days),
                        DeathDate = p.DeathDate?.AddDays(days),
                        WithdrawnDate = p.WithdrawnDate?.AddDays(days),
                        Responses = [.. p.Responses.Select(r => r with { CompletedAt = r.CompletedAt.AddDays(days) })],
                    };
                }),
            ],
        };
    }

    /// <summary>Each measurement taken of both worlds in turn, so both see the same load; medians.</summary>
    private static async Task<Timings[]> MeasureAsync(
        List<SchedulerWorld> worlds,
        int calls,
        double[] rebuilds,
        CancellationToken cancellationToken
    )
    {
        var summary = worlds.Select(_ => new List<double>()).ToArray();
        var point = worlds.Select(_ => new List<double>()).ToArray();
        var bare = worlds.Select(_ => new List<double>()).ToArray();
        var rows = new int[worlds.Count];
        for (var c = -1; c < calls; c++)
        {
            for (var w = 0; w < worlds.Count; w++)
            {
                var service = worlds[w].Get<FollowUpSummaryService>();
                var s = await TimeAsync(() => service.GetAsync(AsOf, cancellationToken));
                var storage = worlds[w].Get<PvpStorage>();
                var p = await TimeAsync(() =>
                    storage.FollowUpCounts.GetEntityIfExistsAsync<TableEntity>(
                        "3m",
                        "2027-01-04",
                        cancellationToken: cancellationToken
                    )
                );
                var b = await TimeAsync(() => BareRowsAsync(storage, cancellationToken));
                rows[w] = b.Result;
                if (c < 0)
                    continue; // warm-up
                summary[w].Add(s.Seconds);
                point[w].Add(p.Seconds);
                bare[w].Add(b.Seconds);
            }
        }
        return
        [
            .. Enumerable
                .Range(0, worlds.Count)
                .Select(w => new Timings(Median(summary[w]), Median(point[w]), Median(bare[w]), rows[w], rebuilds[w])),
        ];
    }

    /// <summary>The rows the summary reads, read and dropped: what Azurite alone takes for them.</summary>
    private static async Task<int> BareRowsAsync(PvpStorage storage, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var wave in new[] { "baseline", "3m", "1y" })
        {
            await foreach (
                var _ in storage.FollowUpCounts.QueryAsync<TableEntity>(
                    $"PartitionKey eq '{wave}'",
                    maxPerPage: 1000,
                    cancellationToken: cancellationToken
                )
            )
                count++;
        }
        return count;
    }

    private static bool Print(int[] sizes, int calls, Timings[] t)
    {
        void Row(string what, double a, double b, string unit, double scale = 1000) =>
            Console.WriteLine($"  {what,-46} {a * scale,9:F1} {b * scale,9:F1} {unit,-4} ratio {b / a:F2}");
        Console.WriteLine($"{"median of " + calls + " calls",-48} {sizes[0],9:N0} {sizes[1],9:N0} enrolled");
        Row("GET summary (FollowUpSummaryService)", t[0].Summary, t[1].Summary, "ms");
        Row("floor: one point read (FollowUpCounts)", t[0].PointRead, t[1].PointRead, "ms");
        Row($"floor: bare read of the counts rows", t[0].BareRows, t[1].BareRows, "ms");
        Row("counts rows read (one per wave and due day)", t[0].Rows, t[1].Rows, "rows", 1);
        Row("index rebuilt from nothing (check --repair)", t[0].Rebuild, t[1].Rebuild, "s", 1);
        var ratio = t[1].Summary / t[0].Summary;
        Console.WriteLine($"summary large/small: {ratio:F2} (target <= 1.5)");
        return ratio <= 1.5;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1
            ? sorted[sorted.Count / 2]
            : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<(T Result, double Seconds)> TimeAsync<T>(Func<Task<T>> work)
    {
        var started = Stopwatch.GetTimestamp(); // a duration, not a clock reading
        var result = await work();
        return (result, Stopwatch.GetElapsedTime(started).TotalSeconds);
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
