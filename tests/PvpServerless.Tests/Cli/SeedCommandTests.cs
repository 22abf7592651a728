using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Cli;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Cli;

public sealed class SeedCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Seeds_the_patients_with_plain_progress_on_stderr_and_the_result_on_stdout()
    {
        var prefix = azurite.NewPrefix();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await PvpCommandLine.RunAsync(
            ["seed", "--patients", "40", "--seed", "3", "--storage", azurite.ConnectionString, "--prefix", prefix],
            new CliContext(new CliConsole(TextReader.Null, stdout, stderr), TimeProvider.System),
            TestContext.Current.CancellationToken
        );

        Assert.True(exit == 0, stderr.ToString());
        Assert.StartsWith("Seeded 40 synthetic patients (", stdout.ToString());
        var progress = stderr.ToString().Split('\n');
        Assert.Contains("Writing them, a transaction per patient …", progress);
        Assert.Contains("  10 / 40 patients", progress);
        Assert.Contains("Summary:", progress);
        var storage = new PvpStorage(
            Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = prefix })
        );
        var records = await storage
            .Patients.QueryAsync<TableEntity>(
                "RowKey eq 'patient'",
                cancellationToken: TestContext.Current.CancellationToken
            )
            .CountAsync(TestContext.Current.CancellationToken);
        Assert.Equal(40, records);
    }
}
