using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Tests.Infrastructure;
using static PvpServerless.Tests.Infrastructure.FakeSendGrid;

namespace PvpServerless.Tests.FollowUp;

/// <summary>What the engine does with SendGrid's answers: wait when asked, send once, give up on a refusal.</summary>
public sealed class SendGridAnswerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day0 = new(2025, 2, 3);

    [Fact]
    public async Task A_429_with_a_short_Retry_After_then_202_is_sent_once_after_the_wait()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        world.SendGrid.Enqueue(new Scripted(429, RetryAfter: "7", Body: ErrorBody("too many requests")));

        await world.RunSchedulerAsync(Ct);
        var handled = await world.DrainAsync(Ct);

        Assert.Equal([SendDisposition.Sent], handled);
        var requests = world.SendGrid.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), requests[1].ReceivedAt - requests[0].ReceivedAt);
        // The same e-mail twice (one id), accepted the second time only.
        Assert.Single(world.Emails.Select(e => e.EmailId).Distinct());
        var row = await world.WaveRowAsync(id, Wave.Baseline, Ct);
        Assert.Equal(
            ("invited", "sent", "fake-1"),
            (row.GetString("State"), row.GetString("EmailStatus"), row.GetString("ProviderMessageId"))
        );
    }

    [Fact]
    public async Task A_429_with_a_long_Retry_After_leaves_the_message_for_later_and_then_sends_once()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        world.SendGrid.Enqueue(new Scripted(429, RetryAfter: "120"));

        await world.RunSchedulerAsync(Ct);
        Assert.Equal([SendDisposition.RetryLater], await world.DrainAsync(Ct));
        var waiting = await world.WaveRowAsync(id, Wave.Baseline, Ct);
        Assert.Equal(("scheduled", "queued"), (waiting.GetString("State"), waiting.GetString("EmailStatus")));

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([SendDisposition.Sent], await world.DrainAsync(Ct));
        // A later run the same day neither queues it again nor sends it twice.
        world.Clock.Advance(TimeSpan.FromMinutes(30));
        await world.RunSchedulerAsync(Ct);
        Assert.Empty(await world.DrainAsync(Ct));

        Assert.Equal(2, world.SendGrid.Requests.Count);
        Assert.Single(world.Emails.Select(e => e.EmailId).Distinct());
        Assert.Equal(("invited", 0), await world.WaveStateAsync(id, Wave.Baseline, Ct));
    }

    [Fact]
    public async Task A_400_fails_the_wave_with_SendGrids_reason_and_sends_no_reminders()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        world.SendGrid.Enqueue(
            new Scripted(400, Body: ErrorBody("Does not contain a valid address.", "personalizations.0.to"))
        );

        await world.RunSchedulerAsync(Ct);
        Assert.Equal([SendDisposition.Failed], await world.DrainAsync(Ct));
        foreach (var day in new[] { 1, 7, 14, 15 })
            await world.DayAsync(Day0.AddDays(day), Ct);

        Assert.Single(world.SendGrid.Requests);
        var row = await world.WaveRowAsync(id, Wave.Baseline, Ct);
        Assert.Equal(
            ("failed", "none", "personalizations.0.to: Does not contain a valid address."),
            (row.GetString("State"), row.GetString("EmailStatus"), row.GetString("FailureReason"))
        );
    }
}
