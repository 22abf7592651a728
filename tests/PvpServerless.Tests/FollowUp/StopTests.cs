using System.Globalization;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// Death, withdrawal and opt-out end a patient's e-mails: recorded before the scheduler's run, or between the run
/// (the reminder's message is queued) and the sender handling that message.
/// </summary>
public sealed class StopTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day0 = new(2025, 2, 3);

    public static TheoryData<string, bool> Stops =>
        new()
        {
            { "death", false },
            { "death", true },
            { "withdrawal", false },
            { "withdrawal", true },
            { "optOut", false },
            { "optOut", true },
        };

    [Theory]
    [MemberData(nameof(Stops))]
    public async Task No_email_goes_after_a_stop_even_one_already_queued(string stop, bool afterQueueing)
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        await world.DayAsync(Day0, Ct);
        Assert.Single(world.Emails);

        world.SetTime(Day0.AddDays(7));
        if (!afterQueueing)
            await StopAsync(world, id, stop);
        var run = await world.RunSchedulerAsync(Ct);
        if (afterQueueing)
        {
            Assert.Equal(1, run.Reminders); // the reminder is on the queue
            await StopAsync(world, id, stop);
        }
        var handled = await world.DrainAsync(Ct);

        Assert.Equal(afterQueueing ? [SendDisposition.Skipped] : [], handled);
        Assert.Single(world.Emails);
        var reason = stop switch
        {
            "death" => "dead",
            "withdrawal" => "withdrawn",
            _ => "optedOut",
        };
        var row = await world.WaveRowAsync(id, Wave.Baseline, Ct);
        // The wave's last e-mail: the invitation (sent), or the reminder cancelled on its way out.
        Assert.Equal(
            ("skipped", reason, afterQueueing ? "none" : "sent"),
            (row.GetString("State"), row.GetString("SkipReason"), row.GetString("EmailStatus"))
        );

        // The rest of the year: the later waves are skipped when their windows open, and nothing is sent.
        foreach (var day in new[] { "2025-02-17", "2025-04-26", "2025-05-03", "2026-01-27", "2026-03-05" })
            await world.DayAsync(DateOnly.Parse(day, CultureInfo.InvariantCulture), Ct);
        Assert.Single(world.Emails);
        Assert.Equal(("skipped", 0), await world.WaveStateAsync(id, Wave.ThreeMonths, Ct));
        Assert.Equal(("skipped", 0), await world.WaveStateAsync(id, Wave.OneYear, Ct));
    }

    private static Task StopAsync(FollowUpWorld world, string id, string stop) =>
        stop == "optOut" ? world.OptOutAsync(id, Ct) : world.RecordAsync(id, stop, Ct);
}
