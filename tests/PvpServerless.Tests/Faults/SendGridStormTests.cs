using System.Diagnostics;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;
using static PvpServerless.Tests.Infrastructure.FakeSendGrid;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// SendGrid answering 429 (with Retry-After), 500, or nothing at all for an hour of scheduler runs every 15 minutes,
/// then recovering: every invitation goes once, none twice, the reminders after it on their days, and the status
/// index still equals the waves (docs/evidence.md, "Faults").
/// </summary>
public sealed class SendGridStormTests(AzuriteFixture azurite)
{
    private const int Patients = 6;

    /// <summary>Email:SendTimeout of the follow-up world.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    private static readonly DateOnly Day0 = new(2025, 2, 3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_storm_with_Retry_After_delays_the_invitations_and_each_goes_once_when_it_ends()
    {
        await StormAsync("429 storm", new Scripted(429, RetryAfter: "20", Body: ErrorBody("too many requests")));
    }

    [Fact]
    public async Task A_500_storm_delays_the_invitations_and_each_goes_once_when_it_ends()
    {
        await StormAsync("500 storm", new Scripted(500, Body: ErrorBody("internal error")));
    }

    [Fact]
    public async Task SendGrid_hanging_until_the_clients_timeout_delays_the_invitations_and_each_goes_once()
    {
        await StormAsync("hang storm", new Scripted(0, Hang: true));
    }

    private async Task StormAsync(string scenario, Scripted answer)
    {
        var started = Stopwatch.GetTimestamp();
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var ids = new List<string>();
        for (var i = 0; i < Patients; i++)
            ids.Add(await world.EnrolAsync(procedureDate: Day0, Ct));
        world.SendGrid.StartStorm(answer);
        // A hang lasts until the client's own timeout: move the clock by it as each hang begins.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var breaker = answer.Hang ? BreakHangsAsync(world, stop.Token) : Task.CompletedTask;

        // An hour of the scheduler's timer (every 15 minutes) with SendGrid down: every e-mail waits, and once its
        // claim has run out the scheduler queues it again under the same id (a second copy of the message).
        var during = new List<SendDisposition>();
        var requeued = 0;
        for (var run = 0; run < 4; run++)
        {
            requeued += (await world.RunSchedulerAsync(Ct)).Requeued;
            during.AddRange(await world.DrainAsync(Ct));
            world.Clock.Advance(TimeSpan.FromMinutes(15));
        }
        var stormRequests = world.SendGrid.Requests.Count;
        Assert.Empty(world.SendGrid.Accepted);
        Assert.All(during, d => Assert.Equal(SendDisposition.RetryLater, d));
        Assert.True(requeued >= Patients, $"The scheduler queued again {requeued} e-mails.");

        world.SendGrid.StopStorm();
        await stop.CancelAsync();
        await breaker;
        var run1 = await world.RunSchedulerAsync(Ct);
        var after = await world.DrainAsync(Ct);
        Assert.Equal(Patients, after.Count(d => d == SendDisposition.Sent));
        Assert.All(after, d => Assert.True(d is SendDisposition.Sent or SendDisposition.Duplicate, $"{d}"));
        foreach (var day in new[] { 7, 14, 15 })
            await world.DayAsync(Day0.AddDays(day), Ct);

        FaultChecks.NoneTwice(world.SendGrid);
        FaultChecks.NoneLost(
            world.SendGrid,
            ids,
            [
                (Day0, Wave.Baseline, "invitation"),
                (Day0.AddDays(7), Wave.Baseline, "reminder"),
                (Day0.AddDays(14), Wave.Baseline, "reminder"),
            ]
        );
        var index = await FaultChecks.StatusIndexAsync(world.Host(0), Ct);
        Assert.True(index.Consistent, FaultChecks.Show(index));
        FaultSuite.Report(
            scenario,
            $"{Patients} patients, 4 scheduler runs over an hour of storm: {stormRequests} requests refused, "
                + $"{requeued} e-mails queued again, {during.Count} deliveries deferred; after it "
                + $"{after.Count(d => d == SendDisposition.Sent)} sent and "
                + $"{after.Count(d => d == SendDisposition.Duplicate)} copies found done "
                + $"(run requeued {run1.Requeued}); "
                + $"accepted {world.SendGrid.Accepted.Count} of "
                + $"{3 * Patients} expected, duplicates 0; {FaultChecks.Show(index)}; "
                + $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"
        );
    }

    /// <summary>Each hang at SendGrid ends when the client's timeout fires: the clock moves by it.</summary>
    private static async Task BreakHangsAsync(FollowUpWorld world, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await world.SendGrid.Hangs.ReadAsync(cancellationToken);
                world.Clock.Advance(SendTimeout);
            }
        }
        catch (OperationCanceledException) { }
    }
}
