using Microsoft.Extensions.Time.Testing;
using PvpServerless.Cli.Progress;

namespace PvpServerless.Tests.Cli;

public sealed class ProgressDisplayTests
{
    [Fact]
    public async Task Off_a_terminal_each_step_is_a_few_plain_lines_and_the_summary_lists_them()
    {
        var clock = new FakeTimeProvider();
        var o = new StringWriter();
        var progress = ProgressDisplay.For(o, terminal: false, clock);

        var result = await progress.StepAsync(
            "Writing things",
            8,
            "things",
            report =>
            {
                for (var i = 1; i <= 8; i++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(250));
                    report(i);
                }
                return Task.FromResult(42);
            }
        );
        await progress.StepAsync(
            "Waiting",
            () =>
            {
                clock.Advance(TimeSpan.FromSeconds(1.5));
                return Task.CompletedTask;
            }
        );
        progress.WriteSummary([$"Result: {result}"]);

        Assert.IsType<PlainProgress>(progress);
        Assert.Equal(
            [
                "Writing things …",
                "  2 / 8 things",
                "  4 / 8 things",
                "  6 / 8 things",
                "  done in 2.0 s: 8 things, 4 per second",
                "Waiting …",
                "  done in 1.5 s",
                "Summary:",
                "  Writing things     2.0 s   8 things, 4 per second",
                "  Waiting            1.5 s",
                "Result: 42",
                "",
            ],
            o.ToString().Split('\n')
        );
    }

    [Theory]
    [InlineData(8, 2.0, "8 things, 4 per second")]
    [InlineData(1, 179.1, "1 things, 179.1 s each")]
    [InlineData(2, 179.0, "2 things, 89.5 s each")]
    [InlineData(3, 0.01, "3 things")]
    [InlineData(0, 5.0, "0 things, 0 per second")]
    public void A_step_slower_than_one_a_second_says_how_long_each_took(long count, double seconds, string expected) =>
        Assert.Equal(expected, new StepResult("Step", TimeSpan.FromSeconds(seconds), count, "things").Amount);

    [Fact]
    public async Task Reports_from_many_threads_in_any_order_only_move_forward()
    {
        var o = new StringWriter();
        var progress = ProgressDisplay.For(o, terminal: false, new FakeTimeProvider());
        await progress.StepAsync(
            "Counting",
            1000,
            "items",
            report =>
            {
                Parallel.For(1, 1001, i => report(1001 - i));
                return Task.CompletedTask;
            }
        );
        var counts = o.ToString()
            .Split('\n')
            .Where(l => l.EndsWith(" / 1,000 items", StringComparison.Ordinal))
            .Select(l =>
                int.Parse(l.Trim().Split(' ')[0].Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture)
            )
            .ToList();
        Assert.True(counts.Count <= 3, o.ToString());
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(1000, progress.Steps[0].Count);
    }

    [Fact]
    public async Task On_a_terminal_the_display_is_spectre_s_and_still_shows_every_step_and_the_summary()
    {
        var o = new StringWriter();
        var progress = ProgressDisplay.For(o, terminal: true, new FakeTimeProvider());
        await progress.StepAsync("Enrolling", 3, "patients", report => Task.Run(() => report(3)));
        progress.WriteSummary(["Table 1: 3 patients"]);

        Assert.IsType<LiveProgress>(progress);
        Assert.Contains("Enrolling", o.ToString());
        Assert.Contains("Summary", o.ToString());
        Assert.Contains("Table 1: 3 patients", o.ToString());
    }
}
