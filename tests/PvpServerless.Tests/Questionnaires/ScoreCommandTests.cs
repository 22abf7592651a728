using PvpServerless.Cli;
using PvpServerless.Cli.Commands;
using PvpServerless.Questionnaires;

namespace PvpServerless.Tests.Questionnaires;

public class ScoreCommandTests
{
    private static async Task<(int Exit, string[] Out, string Error)> Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await PvpCommandLine.RunAsync(
            ["score", .. args],
            new CliContext(new CliConsole(new StringReader(input), output, error), TimeProvider.System),
            TestContext.Current.CancellationToken
        );
        var lines = output.ToString().Split('\n');
        return (exit, lines[..^1], error.ToString()); // the last element is what follows the final newline
    }

    [Fact]
    public async Task Scores_a_state_to_three_decimals()
    {
        var (exit, output, error) = await Run("12321\n", "eq5d", "--version", "3L", "--value-set", "DK");
        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(["12321,0.617"], output);
    }

    [Fact]
    public async Task Defaults_are_3L_DK_and_every_set_can_be_chosen()
    {
        Assert.Equal(["11111,1.000", "33333,-0.624"], (await Run("11111\n33333\n", "eq5d")).Out);
        Assert.Equal(["33333,-0.594"], (await Run("33333\n", "eq5d", "--version", "3L", "--value-set", "UK")).Out);
        Assert.Equal(["55555,-0.758"], (await Run("55555\n", "eq5d", "--version", "5L", "--value-set", "DK")).Out);
        Assert.Equal(
            ["55555,-0.285", "11311,0.937"],
            (await Run("55555\r\n11311\r\n", "eq5d", "--version=5L", "--value-set=ENG")).Out
        );
    }

    [Fact]
    public async Task Bad_states_are_reported_by_line_and_the_rest_is_scored()
    {
        var (exit, output, error) = await Run(
            "11111\n1234\n12341\nabcde\n\n22222",
            "eq5d",
            "--version",
            "3L",
            "--value-set",
            "DK"
        );
        Assert.Equal(1, exit);
        // 22222: 1 − 0.114 − 0.053 − 0.063 − 0.048 − 0.062 − 0.068 = 0.592
        Assert.Equal(["11111,1.000", "22222,0.592"], output);
        var errors = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, errors.Length);
        Assert.StartsWith("line 2: '1234'", errors[0]);
        Assert.StartsWith("line 3: '12341'", errors[1]);
        Assert.StartsWith("line 4: 'abcde'", errors[2]);
        Assert.StartsWith("line 5: ''", errors[3]);
        Assert.Contains("each 1–3", errors[0]);
    }

    [Theory]
    [InlineData("4L", "DK", "pvp score eq5d: --version is one of 3L, 5L, not '4L'.")]
    [InlineData("3L", "dk", "pvp score eq5d: --value-set is one of DK, UK, ENG, not 'dk'.")]
    [InlineData("5L", "UK", "pvp score eq5d: --value-set: no EQ-5D-5L value set 'UK'. Known: ")]
    public async Task An_unknown_version_or_value_set_is_named_and_exits_2(string version, string name, string message)
    {
        var (exit, output, error) = await Run("11111\n", "eq5d", "--version", version, "--value-set", name);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith(message, error);
        if (version == "5L")
            Assert.Contains("--version 5L --value-set ENG", error);
    }

    [Theory]
    [InlineData("eq5d", "--valueset", "DK")]
    [InlineData("odi", "--version", "3L")]
    [InlineData("sf36")]
    [InlineData]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var (exit, output, error) = await Run("11111\n", args);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("usage: ./pvp score", error);
    }

    [Fact]
    public async Task Odi_lines_score_with_one_decimal_or_an_empty_field()
    {
        const string input =
            "1,2,3,4,5,0,1,2,3,4\n" // 25 / 50 → 50.0
            + "1,2,3,4,5,0,1,,,4\n" // two skipped: 20 / 40 → 50.0
            + "1,2,,4,5,0,1,,,4\n" // three skipped: invalid → empty
            + " 5 , 5,5,5,5,5,5,,5,5\n" // spaces allowed: 45 / 45 → 100.0
            + ",,,,,,,,,\n"; // nothing answered → empty
        var (exit, output, error) = await Run(input, "odi");
        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(["50.0", "50.0", "", "100.0", ""], output);
    }

    [Fact]
    public async Task Odi_rounding_to_one_decimal()
    {
        // Nine answered: 100 · sum / 45 = 2.222…, 4.444…, 6.666…, 8.888… → down, down, up, up.
        // Eight answered: 100 · 5 / 40 = 12.5 exactly, printed as it is.
        const string input =
            "1,0,0,0,0,0,0,,0,0\n2,0,0,0,0,0,0,,0,0\n3,0,0,0,0,0,0,,0,0\n4,0,0,0,0,0,0,,0,0\n5,0,0,0,0,0,,,0,0\n";
        Assert.Equal(["2.2", "4.4", "6.7", "8.9", "12.5"], (await Run(input, "odi")).Out);
    }

    [Fact]
    public void No_valid_odi_score_sits_on_a_one_decimal_midpoint()
    {
        // The score is 20 · sum / answered with 8–10 answered: multiples of 2.5, of 2, or of 20/9. None ends in ·x5,
        // so the midpoint rule below never decides an ODI output; it is checked on exact binary midpoints instead.
        for (var answered = Odi.MinimumAnswered; answered <= Odi.Sections; answered++)
        {
            for (var sum = 0; sum <= 5 * answered; sum++)
            {
                var tenths = 1000.0 * sum / (5.0 * answered);
                Assert.True(
                    Math.Abs(tenths - Math.Floor(tenths) - 0.5) > 1e-6,
                    $"sum {sum} of {answered} sits on a midpoint"
                );
            }
        }
        Assert.Equal("0.3", ScoreCommand.FormatOdi(0.25));
        Assert.Equal("2.3", ScoreCommand.FormatOdi(2.25));
        Assert.Equal("", ScoreCommand.FormatOdi(null));
        Assert.Equal("0.000", ScoreCommand.FormatIndex(-1e-17));
        Assert.Equal("-0.125", ScoreCommand.FormatIndex(-0.125));
    }

    [Fact]
    public async Task Malformed_odi_lines_are_reported_by_line_and_keep_their_place()
    {
        const string input =
            "1,2,3,4,5,0,1,2,3,4\n1,2,3\n1,2,3,4,5,0,1,2,3,4,5\n1,2,6,4,5,0,1,2,3,4\n1,2,x,4,5,0,1,2,3,4\n1,2,2.5,4,5,0,1,2,3,4\n-1,2,3,4,5,0,1,2,3,4\n0,0,0,0,0,0,0,0,0,0\n";
        var (exit, output, error) = await Run(input, "odi");
        Assert.Equal(1, exit);
        Assert.Equal(["50.0", "", "", "", "", "", "", "0.0"], output);
        Assert.Equal(
            [
                "line 2: 3 fields, not 10",
                "line 3: 11 fields, not 10",
                "line 4: section 3: 6 is outside 0–5",
                "line 5: section 3: 'x' is not a number",
                "line 6: section 3: '2.5' is not a number",
                "line 7: section 1: -1 is outside 0–5",
            ],
            error.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        );
    }
}
