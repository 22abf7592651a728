using PvpServerless.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// Two hosts: both schedulers run at the same moment, and every queue message is handed to both senders at once.
/// SendGrid still receives each e-mail once.
/// </summary>
public sealed class ExactlyOnceTests(AzuriteFixture azurite)
{
    private const int Patients = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day0 = new(2025, 2, 3);

    [Fact]
    public async Task Two_schedulers_and_every_message_delivered_twice_still_send_each_email_once()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        await world.AddHostAsync(Ct);
        var ids = new List<string>();
        for (var i = 0; i < Patients; i++)
            ids.Add(await world.EnrolAsync(procedureDate: Day0, Ct));

        foreach (var day in new[] { 0, 7, 14 })
        {
            world.SetTime(Day0.AddDays(day));
            var runs = await Task.WhenAll(
                Task.Run(() => world.RunSchedulerAsync(Ct, host: 0), Ct),
                Task.Run(() => world.RunSchedulerAsync(Ct, host: 1), Ct)
            );
            var handled = await world.DrainAsync(Ct, Delivery.Twice);

            // One message per e-mail (the losing scheduler saw the winner's claim), two deliveries of each.
            Assert.Equal((Patients, 0), (runs.Sum(r => r.Invitations + r.Reminders), runs.Sum(r => r.Requeued)));
            Assert.Equal(2 * Patients, handled.Count);
            Assert.Equal(Patients, handled.Count(h => h == SendDisposition.Sent));
            Assert.Equal(Patients, handled.Count(h => h == SendDisposition.Duplicate));
            Assert.Equal(Patients * (day / 7 + 1), world.SendGrid.Requests.Count);
        }

        var emails = world.Emails;
        Assert.Equal(3 * Patients, emails.Select(e => e.EmailId).Distinct().Count());
        Assert.All(
            ids,
            id =>
                Assert.Equal(
                    [(Day0, "invitation"), (Day0.AddDays(7), "reminder"), (Day0.AddDays(14), "reminder")],
                    emails.Where(e => e.To == FollowUpWorld.Address(id)).Select(e => (e.ClinicDay, e.Summary.Kind))
                )
        );
    }

    [Fact]
    public async Task A_run_while_a_reminder_waits_on_the_queue_does_not_queue_it_again()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        await world.EnrolAsync(procedureDate: Day0, Ct);
        await world.DayAsync(Day0, Ct);

        world.SetTime(Day0.AddDays(7), 8, 0);
        Assert.Equal(1, (await world.RunSchedulerAsync(Ct)).Reminders);
        // Five minutes on the sender has not taken the message yet (well within the claim timeout).
        world.SetTime(Day0.AddDays(7), 8, 5);
        var second = await world.RunSchedulerAsync(Ct);

        Assert.Equal((0, 0), (second.Reminders, second.Requeued));
        Assert.Equal([SendDisposition.Sent], await world.DrainAsync(Ct));
        Assert.Equal(2, world.Emails.Count);
    }
}
