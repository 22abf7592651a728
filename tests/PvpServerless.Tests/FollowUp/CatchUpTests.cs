using System.Globalization;
using PvpServerless.Domain;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// Days without a scheduler run: the next run reads every day since the last one it completed, so nothing due on the
/// missed days is lost and nothing is sent that the missed days would not have sent.
/// </summary>
public sealed class CatchUpTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly D(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task After_a_three_day_outage_one_run_does_what_the_missed_days_should_have()
    {
        var day0 = D("2025-02-03");
        await using var world = await FollowUpWorld.StartAsync(azurite, day0, Ct);
        // A: baseline from today (procedure today), its first reminder due on day 7.
        var a = await world.EnrolAsync(procedureDate: day0, Ct);
        // B: 3-month window opens on day 8 (due 2025-02-18); its baseline window closed long ago.
        var b = await world.EnrolAsync(procedureDate: D("2024-11-18"), Ct);
        // C: 3-month window open now (due 2025-01-14) and closing on day 8, so its day-7 reminder is missed for good.
        var c = await world.EnrolAsync(procedureDate: D("2024-10-14"), Ct);

        for (var day = day0; day <= day0.AddDays(6); day = day.AddDays(1))
            await world.DayAsync(day, Ct);
        Assert.Equal(2, world.Emails.Count); // A's and C's invitations on day 0

        // Days 7, 8 and 9: no run at all.
        var run = await world.DayAsync(day0.AddDays(10), Ct);

        // From the last day it completed (day 5; day 6 was "today" for its only run) up to today.
        Assert.Equal((day0.AddDays(6), day0.AddDays(10)), (run.From, run.To));
        Assert.Equal((1, 1, 1), (run.Invitations, run.Reminders, run.Expired));
        Assert.Equal(
            [(day0.AddDays(10), Wave.Baseline, "reminder", a), (day0.AddDays(10), Wave.ThreeMonths, "invitation", b)],
            world.Emails.Skip(2).Select(e => (e.ClinicDay, e.Wave, e.Summary.Kind, Who(e))).Order()
        );
        Assert.Equal(("expired", 0), await world.WaveStateAsync(c, Wave.ThreeMonths, Ct));

        for (var day = day0.AddDays(11); day <= day0.AddDays(18); day = day.AddDays(1))
            await world.DayAsync(day, Ct);
        // Reminders count from the invitation's day: A's second still on day 14, B's first 7 days after day 10.
        Assert.Equal(
            [
                (day0, Wave.Baseline, "invitation", a),
                (day0.AddDays(10), Wave.Baseline, "reminder", a),
                (day0.AddDays(14), Wave.Baseline, "reminder", a),
                (day0.AddDays(10), Wave.ThreeMonths, "invitation", b),
                (day0.AddDays(17), Wave.ThreeMonths, "reminder", b),
                (day0, Wave.ThreeMonths, "invitation", c),
            ],
            world.Emails.Select(e => (e.ClinicDay, e.Wave, e.Summary.Kind, Who(e))).OrderBy(e => e.Item4)
        );

        string Who(SentEmail e) => new[] { a, b, c }.Single(id => FollowUpWorld.Address(id) == e.To);
    }

    [Fact]
    public async Task A_patient_enrolled_after_the_days_last_run_is_invited_by_the_next_days_first_run()
    {
        var day0 = D("2025-02-03");
        await using var world = await FollowUpWorld.StartAsync(azurite, day0, Ct);
        await world.DayAsync(day0, Ct, hour: 8);
        await world.DayAsync(day0, Ct, hour: 20);

        world.SetTime(day0, 23, 50);
        var id = await world.EnrolAsync(procedureDate: day0.AddDays(2), Ct);
        var run = await world.DayAsync(day0.AddDays(1), Ct, hour: 0, minute: 5);

        Assert.Equal((day0, day0.AddDays(1)), (run.From, run.To));
        var email = Assert.Single(world.Emails);
        Assert.Equal((day0.AddDays(1), Wave.Baseline, "invitation"), email.Summary);
        Assert.Equal(FollowUpWorld.Address(id), email.To);
    }

    [Fact]
    public async Task A_second_run_on_the_same_day_sends_nothing_again()
    {
        var day0 = D("2025-02-03");
        await using var world = await FollowUpWorld.StartAsync(azurite, day0, Ct);
        await world.EnrolAsync(procedureDate: day0, Ct);

        await world.DayAsync(day0, Ct, hour: 8);
        await world.DayAsync(day0, Ct, hour: 12);
        await world.DayAsync(day0, Ct, hour: 23);
        await world.DayAsync(day0.AddDays(1), Ct, hour: 8);

        Assert.Single(world.Emails);
    }
}
