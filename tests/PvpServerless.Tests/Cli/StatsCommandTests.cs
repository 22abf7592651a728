using System.Text.Json.Nodes;
using PvpServerless.Cli;
using PvpServerless.Tests.Cohort;

namespace PvpServerless.Tests.Cli;

public sealed class StatsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvp-stats-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset Now = new(2018, 3, 2, 4, 0, 0, TimeSpan.Zero);

    private async Task<(int Code, string Out, string Error)> Run(string cohortJson, string outDir)
    {
        var input = Path.Combine(_dir, "cohort.json");
        await File.WriteAllTextAsync(input, cohortJson, TestContext.Current.CancellationToken);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await PvpCommandLine.RunAsync(
            ["stats", "--input", input, "--out", outDir],
            new CliContext(new CliConsole(TextReader.Null, stdout, stderr), new FixedClock(Now)),
            TestContext.Current.CancellationToken
        );
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Writes_outcomes_csv_files_and_a_dictionary_of_every_column()
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, _, error) = await Run(CohortReaderTests.Valid, outDir);

        Assert.True(code == 0, error);
        var outcomes = JsonNode.Parse(
            await File.ReadAllTextAsync(Path.Combine(outDir, "outcomes.json"), TestContext.Current.CancellationToken)
        )!;
        Assert.Equal("2018-03-01", outcomes["cutoffDate"]!.GetValue<string>());
        Assert.Equal(2, outcomes["table1"]!["patients"]!.GetValue<int>());
        Assert.Equal(Now, outcomes["generatedAt"]!.GetValue<DateTimeOffset>());

        var dictionary = File.ReadAllLines(Path.Combine(outDir, "data-dictionary.csv"))
            .Skip(1)
            .Select(l => l.Split(','))
            .ToList();
        var csvFiles = Directory.GetFiles(outDir, "*.csv").Select(Path.GetFileName).ToList();
        foreach (
            var name in new[]
            {
                "scores.csv",
                "table1.csv",
                "comparisons.csv",
                "pain.csv",
                "leakage.csv",
                "responders.csv",
                "attrition.csv",
                "followup.csv",
                "km-steps.csv",
                "km-summary.csv",
            }
        )
        {
            Assert.Contains(name, csvFiles);
        }
        foreach (var file in csvFiles)
        {
            var header = File.ReadLines(Path.Combine(outDir, file!)).First().Split(',');
            Assert.Equal(header, dictionary.Where(d => d[0] == file).Select(d => d[1]).ToArray());
        }
        var scores = File.ReadAllLines(Path.Combine(outDir, "scores.csv"));
        Assert.Equal(4, scores.Length); // header + three responses
        Assert.StartsWith(
            "PVP-0001,baseline,2014-03-02,2014-03-01T10:12:00Z,-1,2,2,3,3,1,",
            scores[1],
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData("$.patients[1].primaryMalignancy", "\"liver\"", "patients[1] (PVP-0002): primaryMalignancy")]
    [InlineData("$.patients[0].levels[1].level", "\"T12\"", "patients[0] (PVP-0001): levels[1].level")]
    [InlineData(
        "$.patients[1].responses[1].completedAt",
        "\"2018-03-05T10:00:00Z\"",
        "patients[1] (PVP-0002): responses[1].completedAt"
    )]
    [InlineData(
        "$.patients[0].responses[0].odi",
        "[1,1,1,1,1,1,1,1,1,1,1]",
        "patients[0] (PVP-0001): responses[0].odi has 11 items; expected 10"
    )]
    public async Task Refuses_a_malformed_cohort_and_writes_nothing(string path, string value, string place)
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, _, error) = await Run(CohortReaderTests.With(CohortReaderTests.Valid, path, value), outDir);

        Assert.Equal(1, code);
        Assert.Contains(place, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
