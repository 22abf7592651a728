using System.Runtime.CompilerServices;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// Storage drops right after the sender marked an e-mail "sent" (the next storage request fails): SendGrid's bounce
/// for that e-mail must still find its wave, so the lookup row the webhook reads exists by then (docs/evidence.md,
/// "Faults").
/// </summary>
public sealed class LookupRowTests(AzuriteFixture azurite)
{
    private static readonly DateOnly Day0 = new(2025, 2, 3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bounce_finds_its_wave_when_storage_dropped_just_after_the_email_was_marked_sent()
    {
        var prefix = azurite.NewPrefix();
        var world = new StrongBox<FollowUpWorld?>();
        // After SendGrid took the e-mail and the wave was marked sent (its status index copy aside, which is only
        // tried), the sender's next write — to the Tokens or the Schedule table — meets storage gone.
        var fault = new StorageFault(
            StorageFault.Nth(
                1,
                m =>
                    world.Value?.SendGrid.Accepted.Count > 0
                    && (
                        m.Request.Uri.Path.Contains(prefix + "Tokens(", StringComparison.Ordinal)
                        || m.Request.Uri.Path.Contains(prefix + "Schedule(", StringComparison.Ordinal)
                    )
            ),
            () => Task.FromException(new RequestFailedException(0, "Connection refused (fault test: storage gone)"))
        );
        await using var w = await FollowUpWorld.StartAsync(
            azurite.ConnectionString,
            prefix,
            Day0,
            Ct,
            s => StorageFault.Install(s, azurite.ConnectionString, prefix, fault)
        );
        world.Value = w;
        var studyId = await w.EnrolAsync(procedureDate: Day0, Ct);
        Assert.Equal(1, (await w.RunSchedulerAsync(Ct)).Invitations);
        var queue = w.Host(0).GetRequiredService<FollowUpScheduler>().Queue;
        var message = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5), Ct)).Value);

        var failed = await Record.ExceptionAsync(() =>
            w.Host(0).GetRequiredService<InvitationSender>().HandleAsync(message.Body.ToString(), Ct)
        );
        Assert.True(fault.Fired);
        Assert.IsType<RequestFailedException>(failed);
        var row = await w.WaveRowAsync(studyId, Wave.Baseline, Ct);
        Assert.Equal("sent", row.GetString("EmailStatus"));
        var emailId = Assert.Single(FaultChecks.Accepted(w.SendGrid)).EmailId;

        var bounce = new EmailEvent(
            emailId,
            EmailEventType.Bounce,
            "550 5.1.1 mailbox unavailable",
            "msg." + emailId,
            Guid.NewGuid().ToString("N"),
            w.Clock.GetUtcNow()
        );
        var outcome = await w.Host(0)
            .GetRequiredService<DeliveryEvents>()
            .ApplyAsync(new EmailEventBatch([bounce], 0), Ct);
        var report = Assert.IsType<WebhookOutcome.Applied>(outcome).Report;
        Assert.Equal(0, report.UnknownEmails);
        Assert.Equal(1, report.Undeliverable);
        Assert.Equal("undeliverable", (await w.WaveStateAsync(studyId, Wave.Baseline, Ct)).State);
    }
}
