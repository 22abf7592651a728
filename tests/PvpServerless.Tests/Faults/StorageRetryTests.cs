using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.LocalHost;
using PvpServerless.Storage;
using PvpServerless.Tests.AzureDeployment;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// The Azure SDK's own retries are bounded and checked at start-up (<c>Storage:Retry</c>): against storage that
/// refuses every connection, each client the host builds — tables, blobs, queues — gives up within about a second and
/// what it throws counts as storage away (docs/evidence.md, "Faults").
/// </summary>
public sealed class StorageRetryTests
{
    /// <summary>Two retries at 0.2 s and 0.4 s (±20 %), three refused connections, room for a busy machine.</summary>
    private static readonly TimeSpan GivesUpWithin = TimeSpan.FromSeconds(2.5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A connection string to ports where nothing listens: every request is refused at once.</summary>
    private static string Nowhere()
    {
        var (blob, queue, table) = (Azurite.FreePort(), Azurite.FreePort(), Azurite.FreePort());
        return Azurite.ConnectionStringFor(blob, queue, table);
    }

    [Fact]
    public async Task Every_client_the_host_builds_gives_up_on_refused_storage_within_seconds_as_storage_away()
    {
        using var services = TestServices.Build(new() { ["AzureWebJobsStorage"] = Nowhere() });
        var storage = services.GetRequiredService<PvpStorage>();
        var calls = new (string What, Func<Task> Call)[]
        {
            ("table read", () => storage.Patients.GetEntityIfExistsAsync<TableEntity>("P", "R", cancellationToken: Ct)),
            ("blob upload", () => storage.Reports.GetBlobClient("x.txt").UploadAsync(BinaryData.FromString("x"), Ct)),
            ("queue send", () => storage.Queues.GetQueueClient("q").SendMessageAsync("x", Ct)),
        };
        foreach (var (what, call) in calls)
        {
            var watch = Stopwatch.StartNew();
            var failure = await Assert.ThrowsAnyAsync<Exception>(call);
            Assert.True(watch.Elapsed < GivesUpWithin, $"{what} gave up after {watch.Elapsed.TotalSeconds:0.0} s");
            Assert.True(Contention.IsUnavailable(failure), $"{what}: {failure.GetType().Name} is not storage away");
        }
    }

    [Fact]
    public async Task The_clients_built_from_options_alone_are_bounded_too()
    {
        var storage = new PvpStorage(Options.Create(new StorageOptions { ConnectionString = Nowhere() }));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() =>
            storage.Tokens.GetEntityIfExistsAsync<TableEntity>("P", "R", cancellationToken: Ct)
        );
        Assert.True(watch.Elapsed < GivesUpWithin, $"gave up after {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Theory]
    [InlineData("MaxRetries", "9", "Storage:Retry:MaxRetries must be 0 to 5")]
    [InlineData("NetworkTimeout", "00:00:00.5", "Storage:Retry:NetworkTimeout must be 1 to 100 seconds")]
    [InlineData("Delay", "00:00:05", "Storage:Retry:Delay must be above zero and at most Storage:Retry:MaxDelay")]
    [InlineData("MaxRetries", "5", "let one call pause 4.1 s in all; at most 3 s")]
    public void Retries_that_would_keep_a_request_waiting_are_refused_at_start_up(
        string setting,
        string value,
        string named
    )
    {
        // 5 retries: 0.2, 0.4, 0.8, 1 and 1 s (MaxDelay), each up to 20 % longer: 4.1 s.
        using var services = TestServices.Build(
            new() { ["AzureWebJobsStorage"] = Nowhere(), ["Storage:Retry:" + setting] = value }
        );
        var failure = Assert.Throws<OptionsValidationException>(() =>
            services.GetRequiredService<IStartupValidator>().Validate()
        );
        Assert.Contains(named, failure.Message);
    }

    [Fact]
    public void The_defaults_pass_and_pause_at_most_three_seconds_a_call()
    {
        using var services = TestServices.Build(new() { ["AzureWebJobsStorage"] = Nowhere() });
        services.GetRequiredService<IStartupValidator>().Validate();
        var retry = services.GetRequiredService<IOptions<StorageOptions>>().Value.Retry;
        Assert.Equal(2, retry.MaxRetries);
        // 0.2 s and 0.4 s, each up to 20 % longer.
        Assert.Equal(TimeSpan.FromMilliseconds(720), retry.WorstTotalPause());
    }
}
