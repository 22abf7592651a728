using System.Diagnostics;
using PvpServerless.Cli.Progress;

namespace PvpServerless.Benchmarks;

/// <summary>Best of several warm runs, shown as a step of its own while it runs.</summary>
internal static class Timing
{
    /// <returns>
    /// The fastest of <paramref name="runs"/> runs, in seconds, after one warm-up run (JIT, caches) unless
    /// <paramref name="warmUp"/> is false: runs of minutes (100,000 patients) gain nothing from one.
    /// </returns>
    public static Task<double> BestAsync(
        ProgressDisplay progress,
        string title,
        int runs,
        Func<Task> action,
        bool warmUp = true
    ) =>
        progress.StepAsync(
            title,
            warmUp ? runs + 1 : runs,
            "runs",
            async report =>
            {
                var done = 0;
                if (warmUp)
                {
                    await action();
                    report(++done);
                }
                var best = double.MaxValue;
                for (var i = 0; i < runs; i++)
                {
                    var started = Stopwatch.GetTimestamp(); // a duration, not a clock reading
                    await action();
                    best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    report(++done);
                }
                return best;
            }
        );

    /// <summary>
    /// The benchmark process's memory at its end, one line for every benchmark's summary (docs/evidence.md, "Load
    /// and speed"): the peak working set (Linux VmHWM: the most resident memory the process ever held), the managed
    /// heap now and the total allocated. Azurite runs in a Node process of its own and is not counted.
    /// </summary>
    public static string PeakMemory()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        return $"peak memory: {process.PeakWorkingSet64 / 1e6:N0} MB working set (process peak); managed heap "
            + $"{GC.GetTotalMemory(false) / 1e6:N0} MB now, {gc.TotalCommittedBytes / 1e6:N0} MB committed; "
            + $"{GC.GetTotalAllocatedBytes() / 1e9:F2} GB allocated; GCs gen0/1/2 "
            + $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}";
    }

    /// <summary>Writes <see cref="PeakMemory"/> as the last line of a benchmark's output.</summary>
    public static void PrintPeakMemory(TextWriter output) => output.WriteLine(PeakMemory());
}
