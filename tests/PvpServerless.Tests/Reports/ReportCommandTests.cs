using PvpServerless.Cli;
using PvpServerless.Cli.Commands;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Reports.Bundle;
using PvpServerless.Tests.Cohort;

namespace PvpServerless.Tests.Reports;

/// <summary>./pvp report in-process: the nightly folder on disk from a cohort file, or nothing at all.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvp-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, string Out, string Error)> Run(
        byte[] cohortJson,
        string outDir,
        params string[] extra
    )
    {
        var input = Path.Combine(_dir, "input-cohort.json");
        await File.WriteAllBytesAsync(input, cohortJson, TestContext.Current.CancellationToken);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var clock = new BundleTestData.SteppingClock(BundleTestData.Started, TimeSpan.FromSeconds(1));
        var code = await PvpCommandLine.RunAsync(
            ["report", "--input", input, "--out", outDir, .. extra],
            new CliContext(new CliConsole(TextReader.Null, stdout, stderr), clock),
            TestContext.Current.CancellationToken
        );
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Writes_every_file_of_the_bundle_and_prints_each_path()
    {
        var outDir = Path.Combine(_dir, "nightly", "2018-03-02");
        var (code, stdout, error) = await Run(CohortJson.Serialize(SeedCohort.Build()), outDir);

        Assert.True(code == 0, error);
        var manifest = BundleManifest.Deserialize(
            await File.ReadAllBytesAsync(
                Path.Combine(outDir, BundleManifest.FileName),
                TestContext.Current.CancellationToken
            )
        );
        var printed = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            [
                .. manifest.Files.Select(f => Path.Combine(outDir, f.Name)),
                Path.Combine(outDir, BundleManifest.FileName),
            ],
            printed
        );
        Assert.Equal(printed.Order(StringComparer.Ordinal), Directory.GetFiles(outDir).Order(StringComparer.Ordinal));
        foreach (var entry in manifest.Files)
        {
            var content = await File.ReadAllBytesAsync(
                Path.Combine(outDir, entry.Name),
                TestContext.Current.CancellationToken
            );
            Assert.Equal((entry.Bytes, entry.Sha256), (content.LongLength, ReportBundle.Sha256Hex(content)));
        }
        Assert.Equal(30, manifest.Patients);
        Assert.Equal(CohortJson.Sha256(SeedCohort.Build()), manifest.InputSha256);
        Assert.Contains("30 patients", error);
        Assert.Equal([outDir], Directory.GetFileSystemEntries(Path.GetDirectoryName(outDir)!)); // no staging folder left
    }

    [Fact]
    public async Task Replaces_the_files_of_an_existing_folder_and_keeps_others()
    {
        var outDir = Path.Combine(_dir, "out");
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "notes.txt"), "mine", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(outDir, "outcomes.pdf"),
            "old",
            TestContext.Current.CancellationToken
        );

        var (code, _, error) = await Run(CohortJson.Serialize(SeedCohort.Build()), outDir, "--mcid-odi", "15");

        Assert.True(code == 0, error);
        Assert.Equal(
            "mine",
            await File.ReadAllTextAsync(Path.Combine(outDir, "notes.txt"), TestContext.Current.CancellationToken)
        );
        Assert.StartsWith(
            "%PDF-",
            await File.ReadAllTextAsync(Path.Combine(outDir, "outcomes.pdf"), TestContext.Current.CancellationToken)
        );
        Assert.Contains(
            "\"mcid\": 15",
            await File.ReadAllTextAsync(Path.Combine(outDir, "outcomes.json"), TestContext.Current.CancellationToken)
        );
        Assert.Single(Directory.GetDirectories(_dir));
    }

    [Theory]
    [InlineData("$.patients[1].primaryMalignancy", "\"liver\"", "patients[1] (PVP-0002): primaryMalignancy")]
    [InlineData(
        "$.patients[0].responses[0].odi",
        "[1,1,1,1,1,1,1,1,1,1,1]",
        "patients[0] (PVP-0001): responses[0].odi has 11 items; expected 10"
    )]
    [InlineData("$.cutoffDate", "\"2018-02-30\"", "cutoffDate")]
    public async Task Refuses_a_malformed_cohort_naming_the_place_and_writes_nothing(
        string path,
        string value,
        string place
    )
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, stdout, error) = await Run(
            System.Text.Encoding.UTF8.GetBytes(CohortReaderTests.With(CohortReaderTests.Valid, path, value)),
            outDir
        );

        Assert.Equal(1, code);
        Assert.Contains(place, error, StringComparison.Ordinal);
        Assert.Contains("nothing written", error, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(["input-cohort.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_refused_cohort_leaves_an_existing_folder_as_it_was()
    {
        var outDir = Path.Combine(_dir, "out");
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(
            Path.Combine(outDir, "outcomes.pdf"),
            "yesterday",
            TestContext.Current.CancellationToken
        );

        var (code, _, _) = await Run("{\"schemaVersion\": 1"u8.ToArray(), outDir);

        Assert.Equal(1, code);
        Assert.Equal(["outcomes.pdf"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        Assert.Equal(
            "yesterday",
            await File.ReadAllTextAsync(Path.Combine(outDir, "outcomes.pdf"), TestContext.Current.CancellationToken)
        );
    }

    [Fact]
    public async Task Without_input_or_out_prints_usage()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await PvpCommandLine.RunAsync(
            ["report", "--out", _dir],
            new CliContext(new CliConsole(TextReader.Null, stdout, stderr), TimeProvider.System),
            TestContext.Current.CancellationToken
        );
        Assert.Equal(2, code);
        Assert.Contains("pvp report: Option '--input' is required.", stderr.ToString());
        Assert.Contains("usage: ./pvp report [options]", stderr.ToString());
    }
}
