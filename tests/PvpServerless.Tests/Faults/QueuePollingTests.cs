using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// The local host's queue runner keeps polling whatever fails around a message: here moving a failed message to its
/// poison queue fails (the poison queue's name is one character past the 63 that storage allows, so storage refuses
/// it every time, as it would refuse everything while away). The next message is still handled (docs/evidence.md,
/// "Faults").
/// </summary>
public sealed class QueuePollingTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failure_while_moving_a_message_to_the_poison_queue_does_not_stop_the_polling()
    {
        var prefix = azurite.NewPrefix();
        // 57 characters: with "-poison" 64, one past the limit.
        var queueName = (prefix + "-work-").PadRight(57, 'q');
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        await using var app = LocalFunctionsHost.Build(
            new LocalHostSettings
            {
                Url = url,
                ExtraAssemblies = [typeof(HostFixture).Assembly],
                ShutdownTimeout = TimeSpan.Zero,
                Values = new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Storage:NamePrefix"] = prefix,
                    ["LocalHost:MasterKey"] = HostFixture.MasterKey,
                    ["LocalHost:RunTimers"] = "false",
                    ["LocalHost:MaxDequeueCount"] = "1",
                    ["TestQueueName"] = queueName,
                    ["TestSchedule"] = "*/1 * * * * *",
                    ["NightlyReportSchedule"] = "0 0 2 * * *",
                    ["ScheduleFollowUpsSchedule"] = "0 */15 * * * *",
                    ["InvitationsQueue"] = prefix + "-invitations",
                    ["FollowUp:TokenKey"] = HostFixture.TokenKey,
                },
            }
        );
        await app.StartAsync(Ct);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("AzureWebJobsStorage", (string?)azurite.ConnectionString)])
            .Build();
        var queue = QueueRunner.ClientFor(new Trigger.Queue(queueName, null), configuration);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        var effects = new TableServiceClient(azurite.ConnectionString).GetTableClient(prefix + "TestEffects");
        await effects.CreateIfNotExistsAsync(Ct);

        await queue.SendMessageAsync("fail", cancellationToken: Ct);
        // The failing message has been taken (and its move to the poison queue refused) before the next one comes.
        Assert.True(
            await EventuallyAsync(
                async () => (await queue.PeekMessagesAsync(1, Ct)).Value.Length == 0,
                TimeSpan.FromSeconds(20)
            )
        );
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await queue.SendMessageAsync("after", cancellationToken: Ct);

        var handled = await EventuallyAsync(
            async () => (await effects.GetEntityIfExistsAsync<TableEntity>("work", "after", cancellationToken: Ct))
                .HasValue,
            TimeSpan.FromSeconds(30)
        );
        Assert.True(handled, "The message after the failed poison move was never handled: the polling stopped.");
        await app.StopAsync(CancellationToken.None);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> probe, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe())
                return true;
            await Task.Delay(200, Ct);
        }
        return false;
    }
}
