using Spectre.Console;

namespace PvpServerless.Cli.Progress;

/// <summary>Progress on a terminal: Spectre.Console's live bars and spinners, and the summary as a table.</summary>
public sealed class LiveProgress(TextWriter writer, TimeProvider clock) : ProgressDisplay(clock)
{
    private readonly IAnsiConsole _console = AnsiConsole.Create(
        new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        }
    );

    protected override async Task<T> RunAsync<T>(Step step, Func<Action<long>, Task<T>> work)
    {
        var columns = step.Total is null
            ? new ProgressColumn[] { new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn() }
            :
            [
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new SpinnerColumn(),
            ];
        return await _console
            .Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(columns)
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(step.Title), maxValue: step.Total ?? 1);
                task.IsIndeterminate = step.Total is null;
                var result = await work(done =>
                {
                    if (step.Report(done))
                        task.Value = Math.Min(done, task.MaxValue);
                });
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
    }

    protected override void Finished(StepResult result) { }

    public override void WriteSummary(IReadOnlyList<string> results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Summary");
        table.AddColumn("step");
        table.AddColumn(new TableColumn("time").RightAligned());
        table.AddColumn("amount");
        foreach (var step in Steps)
            table.AddRow(Markup.Escape(step.Title), step.Time, Markup.Escape(step.Amount));
        _console.Write(table);
        foreach (var result in results)
            _console.WriteLine(result);
    }
}
