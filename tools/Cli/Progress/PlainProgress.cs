using System.Globalization;

namespace PvpServerless.Cli.Progress;

/// <summary>
/// Progress for logs: a line when a step starts, a line at each quarter of its work, a line when it is done, and the
/// summary as aligned lines. Nothing is redrawn, so CI logs and test output stay readable.
/// </summary>
public sealed class PlainProgress(TextWriter writer, TimeProvider clock) : ProgressDisplay(clock)
{
    private readonly Lock _gate = new();

    protected override async Task<T> RunAsync<T>(Step step, Func<Action<long>, Task<T>> work)
    {
        writer.WriteLine($"{step.Title} …");
        var quarters = 0L;
        return await work(done =>
        {
            if (!step.Report(done) || step.Total is not ({ } total and > 0))
                return;
            lock (_gate)
            {
                var quarter = Math.Min(done, total) * 4 / total;
                if (quarter <= quarters || done >= total)
                    return;
                quarters = quarter;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done:N0} / {total:N0} {step.Unit}"));
            }
        });
    }

    protected override void Finished(StepResult result) =>
        writer.WriteLine(
            result.Count is null ? $"  done in {result.Time}" : $"  done in {result.Time}: {result.Amount}"
        );

    public override void WriteSummary(IReadOnlyList<string> results)
    {
        var width = Steps.Count == 0 ? 0 : Steps.Max(s => s.Title.Length);
        writer.WriteLine("Summary:");
        foreach (var step in Steps)
        {
            var line = $"  {step.Title.PadRight(width)}  {step.Time,8}";
            writer.WriteLine(step.Amount.Length == 0 ? line : $"{line}   {step.Amount}");
        }
        foreach (var result in results)
            writer.WriteLine(result);
    }
}
