using PvpServerless.Cli;

namespace PvpServerless.Tests.Cli;

/// <summary>
/// ./pvp's parsing: the README's command lines, --help on every verb, usage errors naming the option.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvp-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Input
    {
        get
        {
            var file = Path.Combine(_dir, "cohort.json");
            File.WriteAllText(file, "{}");
            return file;
        }
    }

    private static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await PvpCommandLine.RunAsync(
            args,
            new CliContext(new CliConsole(TextReader.Null, stdout, stderr), TimeProvider.System),
            TestContext.Current.CancellationToken
        );
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static IReadOnlyList<string> ParseErrors(params string[] args) =>
        PvpCommandLine
            .Build(
                new CliContext(new CliConsole(TextReader.Null, TextWriter.Null, TextWriter.Null), TimeProvider.System)
            )
            .Parse(args)
            .Errors.Select(e => e.Message)
            .ToList();

    [Fact]
    public void Every_command_line_the_readme_shows_still_parses()
    {
        string[][] lines =
        [
            ["up"],
            ["up", "--port", "7071"],
            ["up", "--port=7072"],
            ["demo"],
            ["seed", "--patients", "10000"],
            ["seed", "--patients", "50", "--seed", "2", "--storage", "UseDevelopmentStorage=true", "--prefix", "p"],
            ["score", "eq5d", "--version", "3L", "--value-set", "DK"],
            ["score", "eq5d", "--version", "5L", "--value-set", "ENG"],
            ["score", "eq5d"],
            ["score", "odi"],
            ["stats", "--input", Input, "--out", _dir],
            ["report", "--input", Input, "--out", _dir, "--mcid-eq5d", "0.12", "--mcid-odi", "10"],
        ];
        foreach (var line in lines)
            Assert.True(
                ParseErrors(line).Count == 0,
                $"{string.Join(' ', line)}: {string.Join("; ", ParseErrors(line))}"
            );
    }

    [Theory]
    [InlineData("up", "--port <N>")]
    [InlineData("demo", "enrol the seed cohort")]
    [InlineData("seed", "--patients <N>")]
    [InlineData("score", "eq5d")]
    [InlineData("score eq5d", "--value-set <DK|UK|ENG>")]
    [InlineData("score odi", "ten comma-separated sections")]
    [InlineData("stats", "--input <cohort.json>")]
    [InlineData("report", "--mcid-odi <X>")]
    [InlineData("followups check", "--repair")]
    public async Task Every_verb_has_help(string verb, string shown)
    {
        var (exit, stdout, error) = await Run([.. verb.Split(' '), "--help"]);
        Assert.Equal((0, ""), (exit, error));
        Assert.Contains($"./pvp {verb} ", stdout);
        Assert.Contains(shown, stdout);
    }

    [Fact]
    public async Task No_command_shows_every_verb()
    {
        var (exit, stdout, _) = await Run();
        Assert.Equal(0, exit);
        foreach (var verb in new[] { "up", "demo", "seed", "score", "stats", "report" })
            Assert.Contains($"  {verb} ", stdout);
    }

    [Theory]
    [InlineData("up --port abc", "pvp up: --port takes a whole number from 1 to 65535, not 'abc'.")]
    [InlineData("up --port 70000", "pvp up: --port takes a whole number from 1 to 65535, not '70000'.")]
    [InlineData("up --prot 7072", "pvp up: Unrecognized command or argument '--prot'.")]
    [InlineData("seed", "pvp seed: Option '--patients' is required.")]
    [InlineData("seed --patients 0", "pvp seed: --patients takes a whole number ≥ 1, not '0'.")]
    [InlineData("seed --patients 10 --seed x", "pvp seed: --seed takes a whole number ≥ 0, not 'x'.")]
    [InlineData("stats --out DIR", "pvp stats: Option '--input' is required.")]
    [InlineData("stats --input /no/such/cohort.json --out DIR", "pvp stats: --input: there is no file /no/such/")]
    [InlineData("report --input INPUT --out DIR --mcid-odi ten", "pvp report: --mcid-odi takes a number such as 10")]
    [InlineData("score eq5d --version 4L", "pvp score eq5d: --version is one of 3L, 5L, not '4L'.")]
    [InlineData("frobnicate", "pvp: Unrecognized command or argument 'frobnicate'.")]
    public async Task A_usage_error_names_the_option_says_where_help_is_and_exits_2(string line, string message)
    {
        var args = line.Split(' ')
            .Select(a =>
                a == "INPUT" ? Input
                : a == "DIR" ? _dir
                : a
            )
            .ToArray();
        var (exit, stdout, error) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, error);
        Assert.Contains("usage: ./pvp", error);
        Assert.Contains("--help tells more", error);
    }
}
