using System.Diagnostics;
using PvpServerless.Cli.Progress;

namespace PvpServerless.Benchmarks;

/// <summary>Best of several warm runs, shown as a step of its own while it runs.</summary>
internal static class Timing
{
    /// <returns>The fastest of <paramref name="runs"/> runs, in seconds, after one warm-up run (JIT, caches).</returns>
    public static Task<double> BestAsync(ProgressDisplay progress, string title, int runs, Func<Task> action) =>
        progress.StepAsync(
            title,
            runs + 1,
            "runs",
            async report =>
            {
                await action();
                report(1);
                var best = double.MaxValue;
                for (var i = 0; i < runs; i++)
                {
                    var started = Stopwatch.GetTimestamp(); // a duration, not a clock reading
                    await action();
                    best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    report(i + 2);
                }
                return best;
            }
        );
}
