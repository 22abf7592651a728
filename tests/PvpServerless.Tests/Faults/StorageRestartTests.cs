using System.Diagnostics;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Tests.FollowUp;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// Azurite stopped at an exact point of the follow-up engine's work and started again on the same ports and data:
/// while the scheduler queues invitations, and while the sender sends them (SendGrid has just taken an e-mail). After
/// recovery every invitation and reminder goes once, none twice, and the status index equals the waves.
/// </summary>
public sealed class StorageRestartTests
{
    private const int Patients = 24;

    /// <summary>Longer than one request's SDK retries (about 6 s), so the fault reaches our code.</summary>
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(10);

    private static readonly DateOnly Day0 = new(2025, 2, 3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static bool Enabled => FaultSuite.All;

    private static IReadOnlyList<(DateOnly, Wave, string)> Expected =>
        [
            (Day0, Wave.Baseline, "invitation"),
            (Day0.AddDays(7), Wave.Baseline, "reminder"),
            (Day0.AddDays(14), Wave.Baseline, "reminder"),
        ];

    [Fact(Skip = FaultSuite.SlowSkip, SkipUnless = nameof(Enabled))]
    public async Task Azurite_stopped_while_the_scheduler_queues_invitations_loses_none_and_sends_none_twice()
    {
        var started = Stopwatch.GetTimestamp();
        await using var azurite = await FaultAzurite.StartAsync(Ct);
        Task? restart = null;
        // The 9th message put on the queue meets a stopped Azurite: its wave is already marked queued.
        var fault = new StorageFault(
            StorageFault.Nth(9, StorageFault.QueueSend),
            async () =>
            {
                await azurite.StopAsync();
                restart = RestartAfterAsync(azurite, Down);
            }
        );
        await using var world = await FollowUpWorld.StartAsync(
            azurite.ConnectionString,
            "sched",
            Day0,
            Ct,
            s => StorageFault.Install(s, azurite.ConnectionString, "sched", fault)
        );
        var ids = new List<string>();
        for (var i = 0; i < Patients; i++)
            ids.Add(await world.EnrolAsync(procedureDate: Day0, Ct));

        var runTime = Stopwatch.StartNew();
        var failed = await Record.ExceptionAsync(() => world.RunSchedulerAsync(Ct));
        runTime.Stop();
        Assert.True(fault.Fired);
        await restart!;
        var first = failed is null ? "completed" : $"failed ({failed.GetType().Name})";
        var sentFirst = (await DrainAsync(world)).Done.Count(d => d == SendDisposition.Sent);

        // Later runs of the day: once the lost message's claim has run out, it is queued again.
        var requeued = 0;
        for (var run = 0; run < 3; run++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(15));
            requeued += (await world.RunSchedulerAsync(Ct)).Requeued;
            await DrainAsync(world);
        }
        foreach (var day in new[] { 7, 14, 15 })
            await world.DayAsync(Day0.AddDays(day), Ct);

        FaultChecks.NoneTwice(world.SendGrid);
        FaultChecks.NoneLost(world.SendGrid, ids, Expected);
        var index = await FaultChecks.StatusIndexAsync(world.Host(0), Ct);
        FaultSuite.Report(
            "Azurite stopped during a scheduler run",
            $"{Patients} patients, stopped at the 9th queue message for {azurite.Outages[0].TotalSeconds:0.0} s; "
                + $"the run {first} after {runTime.Elapsed.TotalSeconds:0.0} s; {sentFirst} sent at once, "
                + $"{requeued} queued again by later runs; accepted {world.SendGrid.Accepted.Count} of "
                + $"{3 * Patients} expected, duplicates 0; {FaultChecks.Show(index)}; "
                + $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"
        );
    }

    [Fact(Skip = FaultSuite.SlowSkip, SkipUnless = nameof(Enabled))]
    public async Task Azurite_stopped_just_as_SendGrid_takes_an_email_sends_none_twice_and_loses_none()
    {
        var started = Stopwatch.GetTimestamp();
        await using var azurite = await FaultAzurite.StartAsync(Ct);
        await using var world = await FollowUpWorld.StartAsync(azurite.ConnectionString, "send", Day0, Ct);
        var ids = new List<string>();
        for (var i = 0; i < Patients; i++)
            ids.Add(await world.EnrolAsync(procedureDate: Day0, Ct));
        Assert.Equal(Patients, (await world.RunSchedulerAsync(Ct)).Invitations);

        // SendGrid takes the 8th e-mail; before its answer reaches the sender, storage is gone (the worst moment:
        // the e-mail is out, the wave does not know yet).
        Task? restart = null;
        world.SendGrid.BeforeAccepting = async _ =>
        {
            if (world.SendGrid.Accepted.Count != 8 || restart is not null)
                return;
            await azurite.StopAsync();
            restart = RestartAfterAsync(azurite, Down);
        };
        var sending = Stopwatch.StartNew();
        var drained = await DrainAsync(world);
        sending.Stop();
        await restart!;
        world.SendGrid.BeforeAccepting = null;
        var sentFirst = drained.Done.Count(d => d == SendDisposition.Sent);

        var requeued = 0;
        for (var run = 0; run < 3; run++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(15));
            requeued += (await world.RunSchedulerAsync(Ct)).Requeued;
            await DrainAsync(world);
        }
        foreach (var day in new[] { 7, 14, 15 })
            await world.DayAsync(Day0.AddDays(day), Ct);

        var duplicates = FaultChecks.Accepted(world.SendGrid).GroupBy(e => e.EmailId).Sum(g => g.Count() - 1);
        FaultSuite.Report(
            "Azurite stopped as SendGrid takes an e-mail",
            $"{Patients} patients, stopped before the 8th acceptance reached the sender for "
                + $"{azurite.Outages[0].TotalSeconds:0.0} s; sending took {sending.Elapsed.TotalSeconds:0.0} s "
                + $"({sentFirst} sent, {drained.Failures} deliveries failed on storage); {requeued} queued again by "
                + $"later runs; accepted {world.SendGrid.Accepted.Count} of {3 * Patients} expected, duplicates "
                + $"{duplicates}; {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"
        );
        FaultChecks.NoneTwice(world.SendGrid);
        FaultChecks.NoneLost(world.SendGrid, ids, Expected);
        var index = await FaultChecks.StatusIndexAsync(world.Host(0), Ct);
        FaultSuite.Report("Azurite stopped as SendGrid takes an e-mail", FaultChecks.Show(index));
    }

    private static async Task RestartAfterAsync(FaultAzurite azurite, TimeSpan down)
    {
        await Task.Delay(down, Ct);
        await azurite.StartAgainAsync(Ct);
    }

    /// <summary>
    /// The queue trigger's way with messages, tolerant of storage going away: a message is hidden for a few
    /// seconds while handled; handled → deleted; SendGrid asked to wait → visible again; a failure → left to
    /// reappear when its visibility runs out (as the Functions host does when it cannot even release it). Ends when
    /// the queue is empty.
    /// </summary>
    private static async Task<Drained> DrainAsync(FollowUpWorld world)
    {
        var queue = world.Host(0).GetRequiredService<FollowUpScheduler>().Queue;
        var sender = world.Host(0).GetRequiredService<InvitationSender>();
        var done = new List<SendDisposition>();
        var failures = 0;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            QueueMessage[] batch;
            try
            {
                batch = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(3), Ct)).Value;
                if (batch.Length == 0 && (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount == 0)
                    return new Drained(done, failures);
            }
            catch (Exception ex) when (IsStorageDown(ex))
            {
                await Task.Delay(500, Ct);
                continue;
            }
            if (batch.Length == 0)
                await Task.Delay(500, Ct);
            foreach (var message in batch)
            {
                try
                {
                    done.Add(await sender.HandleAsync(message.Body.ToString(), Ct));
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
                }
                catch (SendLaterException)
                {
                    done.Add(SendDisposition.RetryLater);
                }
                catch (Exception ex) when (IsStorageDown(ex))
                {
                    failures++;
                }
            }
        }
        throw new TimeoutException("The invitations queue did not empty within 3 minutes.");
    }

    /// <summary>What the sender did with each message it finished, and how many deliveries failed.</summary>
    private sealed record Drained(IReadOnlyList<SendDisposition> Done, int Failures);

    private static bool IsStorageDown(Exception ex) =>
        ex is Azure.RequestFailedException or AggregateException or HttpRequestException or IOException;
}
