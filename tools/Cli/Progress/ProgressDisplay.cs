using System.Globalization;

namespace PvpServerless.Cli.Progress;

/// <summary>A finished step of a long command, for its closing summary.</summary>
/// <param name="Count">How much work it did (patients, files…); null for a step without a known amount.</param>
public sealed record StepResult(string Title, TimeSpan Elapsed, long? Count, string Unit)
{
    /// <summary>"30 patients, 25 per second", "2 runs, 89.6 s each" (slower than one a second), or empty.</summary>
    public string Amount =>
        Count is not { } n ? ""
        : Elapsed.TotalSeconds < 0.05 ? string.Create(CultureInfo.InvariantCulture, $"{n:N0} {Unit}")
        : n > 0 && n < Elapsed.TotalSeconds
            ? string.Create(CultureInfo.InvariantCulture, $"{n:N0} {Unit}, {Elapsed.TotalSeconds / n:F1} s each")
        : string.Create(CultureInfo.InvariantCulture, $"{n:N0} {Unit}, {n / Elapsed.TotalSeconds:N0} per second");

    public string Time => string.Create(CultureInfo.InvariantCulture, $"{Elapsed.TotalSeconds:F1} s");
}

/// <summary>
/// Shows the steps of a long command as they go, then a summary: on a terminal, Spectre.Console's live display (a bar
/// where the amount of work is known, a spinner where not); elsewhere — CI, tests, a pipe — a few plain lines per
/// step that read well in a log. Steps run one after another; a step's work may report from several threads.
/// </summary>
public abstract class ProgressDisplay(TimeProvider clock)
{
    private readonly List<StepResult> _steps = [];

    public IReadOnlyList<StepResult> Steps => _steps;

    /// <param name="terminal">Whether <paramref name="writer"/> is an interactive terminal.</param>
    public static ProgressDisplay For(TextWriter writer, bool terminal, TimeProvider clock) =>
        terminal ? new LiveProgress(writer, clock) : new PlainProgress(writer, clock);

    /// <summary>
    /// Runs one step; <paramref name="work"/> reports how much of <paramref name="total"/> it has done.
    /// </summary>
    public async Task<T> StepAsync<T>(string title, long total, string unit, Func<Action<long>, Task<T>> work)
    {
        var step = new Step(title, total, unit);
        var started = clock.GetTimestamp();
        var result = await RunAsync(step, work);
        Finish(step, clock.GetElapsedTime(started));
        return result;
    }

    public Task StepAsync(string title, long total, string unit, Func<Action<long>, Task> work) =>
        StepAsync(
            title,
            total,
            unit,
            async report =>
            {
                await work(report);
                return true;
            }
        );

    /// <summary>A step whose amount of work is not known in advance (a spinner on a terminal).</summary>
    public async Task<T> StepAsync<T>(string title, Func<Task<T>> work)
    {
        var step = new Step(title, Total: null, Unit: "");
        var started = clock.GetTimestamp();
        var result = await RunAsync(step, _ => work());
        Finish(step, clock.GetElapsedTime(started));
        return result;
    }

    public Task StepAsync(string title, Func<Task> work) =>
        StepAsync(
            title,
            async () =>
            {
                await work();
                return true;
            }
        );

    /// <summary>Every step with its time and amount, then the command's own result lines.</summary>
    public abstract void WriteSummary(IReadOnlyList<string> results);

    protected abstract Task<T> RunAsync<T>(Step step, Func<Action<long>, Task<T>> work);

    /// <summary>Called after a step's work has returned.</summary>
    protected abstract void Finished(StepResult result);

    private void Finish(Step step, TimeSpan elapsed)
    {
        var result = new StepResult(step.Title, elapsed, step.Total is null ? null : step.Done, step.Unit);
        _steps.Add(result);
        Finished(result);
    }

    /// <summary>
    /// A step under way; <see cref="Done"/> only grows, whatever order reports from several threads arrive in.
    /// </summary>
    protected sealed record Step(string Title, long? Total, string Unit)
    {
        private long _done;

        public long Done => Interlocked.Read(ref _done);

        /// <returns>Whether this report moved the count on.</returns>
        public bool Report(long done)
        {
            var seen = Interlocked.Read(ref _done);
            while (done > seen)
            {
                var before = Interlocked.CompareExchange(ref _done, done, seen);
                if (before == seen)
                    return true;
                seen = before;
            }
            return false;
        }
    }
}
