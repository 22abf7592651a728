using PvpServerless.Cli;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Cli;

/// <summary>
/// <c>./pvp followups check</c> over seeded patients: the seeder writes no status index, so the check finds every wave
/// missing and exits 1; <c>--repair</c> builds it; the next check finds nothing.
/// </summary>
public sealed class FollowUpsCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_check_finds_the_missing_index_and_the_repair_builds_it()
    {
        var prefix = azurite.NewPrefix();
        var seeded = await RunAsync(
            "seed",
            "--patients",
            "12",
            "--storage",
            azurite.ConnectionString,
            "--prefix",
            prefix
        );
        Assert.Equal(0, seeded.Exit);
        string[] check = ["followups", "check", "--storage", azurite.ConnectionString, "--prefix", prefix];

        var before = await RunAsync(check);
        Assert.Equal(
            (1, "36 waves, 0 entries: 36 missing, 0 stale, 0 orphaned; 0 counts and 0 copies wrong."),
            (before.Exit, before.Out.Trim())
        );
        var repair = await RunAsync([.. check, "--repair"]);
        Assert.Equal(0, repair.Exit);
        Assert.EndsWith("; repaired.", repair.Out.Trim());
        var after = await RunAsync(check);
        Assert.Equal(
            (0, "36 waves, 36 entries: 0 missing, 0 stale, 0 orphaned; 0 counts and 0 copies wrong."),
            (after.Exit, after.Out.Trim())
        );
    }

    private static async Task<(int Exit, string Out)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await PvpCommandLine.RunAsync(
            args,
            new CliContext(new CliConsole(TextReader.Null, stdout, stderr), TimeProvider.System),
            TestContext.Current.CancellationToken
        );
        return (exit, stdout.ToString());
    }
}
