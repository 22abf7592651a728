using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Hosting;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// The storage transactions of the follow-up engine, counted at the SDK pipeline over Azurite: a scheduler run with
/// nothing due (96 a day), the first run of a day, what one invitation or reminder adds to a run, one e-mail sent
/// (SendGrid faked at the edge), one webhook event. Each must stay within its row of docs/deploy.md, whose cost
/// estimate the test prints (<see cref="CostModel"/>).
/// </summary>
public sealed class FollowUpTransactionTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly StorageRequestCounter _requests = new();

    [Fact]
    public async Task The_follow_up_engine_stays_within_its_documented_transactions_and_the_cost_is_printed()
    {
        var d0 = new DateOnly(2026, 3, 2);
        var clock = new FollowUpClock(FollowUpWorld.At(d0, 8));
        await using var sendGrid = await FakeSendGrid.StartAsync(clock);
        using var webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var services = Services(clock, sendGrid, webhookKey);
        await services.GetRequiredService<PvpStorage>().EnsureCreatedAsync(Ct);
        var scheduler = services.GetRequiredService<FollowUpScheduler>();
        var measured = new Dictionary<string, Transactions>();
        Task<Transactions> Count(Func<Task> operation) => _requests.CountAsync(azurite.ConnectionString, operation);
        Task<Transactions> Run(DateOnly day, int hour, int minute = 0)
        {
            clock.SetUtcNow(FollowUpWorld.At(day, hour, minute));
            return Count(() => scheduler.RunAsync(Ct));
        }

        await Run(d0, 8); // the first run ever: no checkpoint yet, clients warm up
        measured["scheduler-idle"] = await Run(d0, 8, 15);
        await Enrol(services, d0.AddDays(1));
        measured["scheduler-invitation"] = await Run(d0, 8, 30) - measured["scheduler-idle"];
        measured["send"] = await SendQueuedAsync(services, Count);
        await Run(d0.AddDays(5), 8);
        measured["scheduler-day"] = await Run(d0.AddDays(6), 8);
        measured["scheduler-reminder"] = await Run(d0.AddDays(7), 8) - measured["scheduler-day"];
        await SendQueuedAsync(services, Count);

        var emailId = SentEmail.From(sendGrid.Requests[^1]).EmailId;
        var body = new JsonArray(
            new JsonObject
            {
                ["email"] = "x@example.dk",
                ["event"] = "delivered",
                ["timestamp"] = clock.GetUtcNow().ToUnixTimeSeconds(),
                ["sg_event_id"] = "ev1",
                ["sg_message_id"] = "msg.1",
                [SendGridTransport.EmailIdArg] = emailId,
            }
        ).ToJsonString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(
            webhookKey.SignData(
                Encoding.UTF8.GetBytes(timestamp + body),
                HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence
            )
        );
        var deliveries = services.GetRequiredService<DeliveryEvents>();
        var bytes = Encoding.UTF8.GetBytes(body);
        measured["webhook-event"] = await Count(async () =>
            Assert.IsType<WebhookOutcome.Applied>(await deliveries.ReceiveAsync(signature, timestamp, bytes, Ct))
        );

        // Nothing pending (the drain and the writers synced everything): the sweep's scan alone.
        measured["sweep-idle"] = await Count(() => services.GetRequiredService<StatusIndexBacklog>().SweepAsync(Ct));

        Assert.Equal(2, sendGrid.Requests.Count);
        SettingsTests.None(StorageRequestCounter.BeyondTheDocumentedBounds(measured));
        var bounds = StorageRequestCounter.Documented();
        TestContext.Current.TestOutputHelper?.WriteLine(CostModel.Print(bounds));
    }

    private ServiceProvider Services(FollowUpClock clock, FakeSendGrid sendGrid, ECDsa webhookKey)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Storage:NamePrefix"] = azurite.NewPrefix(),
                    ["InvitationsQueue"] = "invitations",
                    ["FollowUp:TokenKey"] = HostFixture.TokenKey,
                    ["Clinic:PublicBaseUrl"] = "https://pvp.example.dk",
                    ["Clinic:Name"] = "Klinik Nord",
                    ["Clinic:Phone"] = "+45 70 00 00 00",
                    ["Email:Transport"] = "SendGrid",
                    ["Email:SendGridApiKey"] = FakeSendGrid.ApiKey,
                    ["Email:SendGridHost"] = sendGrid.Url,
                    ["Email:FromAddress"] = "noreply@example.dk",
                    ["Email:WebhookPublicKey"] = Convert.ToBase64String(webhookKey.ExportSubjectPublicKeyInfo()),
                }
            )
            .Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        services.AddAzureClients(c => c.ConfigureDefaults(o => o.AddPolicy(_requests, HttpPipelinePosition.PerRetry)));
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new Contention(TimeProvider.System));
        return services.BuildServiceProvider();
    }

    private static async Task Enrol(IServiceProvider services, DateOnly procedure)
    {
        var request = new EnrolmentRequest(
            "COST-0001",
            "F",
            78,
            "multipleMyeloma",
            "boneMarrowBiopsy",
            Codes.Format(procedure),
            [new LevelRequest("L1", false)],
            [],
            "cost-0001@example.dk",
            "en"
        );
        var result = await services
            .GetRequiredService<EnrolmentService>()
            .EnrolAsync(request, new Actor("coordinator"), Ct);
        Assert.IsType<EnrolmentResult.Created>(result);
    }

    /// <summary>
    /// The one queued message handed to the sender, as the queue trigger does; the count is the sender's own (the
    /// host's dequeue and delete, 2 queue transactions, are added in <see cref="CostModel"/>).
    /// </summary>
    private static async Task<Transactions> SendQueuedAsync(
        IServiceProvider services,
        Func<Func<Task>, Task<Transactions>> count
    )
    {
        var queue = services.GetRequiredService<FollowUpScheduler>().Queue;
        var message = Assert.Single((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), Ct)).Value);
        var sender = services.GetRequiredService<InvitationSender>();
        var sent = await count(async () =>
            Assert.Equal(SendDisposition.Sent, await sender.HandleAsync(message.Body.ToString(), Ct))
        );
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
        return sent;
    }
}
