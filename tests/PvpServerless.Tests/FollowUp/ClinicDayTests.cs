using System.Globalization;
using PvpServerless.Domain;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// Windows open and close on clinic days (Europe/Copenhagen), whatever the UTC date: a run just after the clinic's
/// midnight, which is still the previous UTC date, acts on the new day; a run just before it does not. Checked on the
/// two DST days (last Sunday of March: 02:00 → 03:00; of October: 03:00 → 02:00) and an ordinary summer day.
/// </summary>
public sealed class ClinicDayTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly D(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-03-30")] // DST begins that night
    [InlineData("2025-10-26")] // DST ends that night
    [InlineData("2025-06-15")] // summer time: midnight is 22:00 UTC
    public async Task A_window_opening_on_a_clinic_day_is_acted_on_from_its_first_minutes_and_not_before(string opening)
    {
        var opens = D(opening);
        var due = opens.AddDays(7); // a 3-month window opens 7 days before its due date…
        var closes = due.AddDays(28); // …and closes 28 days after it
        await using var world = await FollowUpWorld.StartAsync(azurite, opens.AddDays(-2), Ct);
        var id = await world.EnrolAsync(procedureDate: due.AddMonths(-3), Ct);
        await world.DayAsync(opens.AddDays(-2), Ct); // the baseline window is long closed: nothing to send

        await world.DayAsync(opens.AddDays(-1), Ct, hour: 23, minute: 45);
        Assert.Empty(world.Emails);

        world.SetTime(opens, 0, 30);
        // Still yesterday in UTC.
        Assert.Equal(opens.AddDays(-1), DateOnly.FromDateTime(world.Clock.GetUtcNow().UtcDateTime));
        await world.DayAsync(opens, Ct, hour: 0, minute: 30);
        Assert.Equal([(opens, Wave.ThreeMonths, "invitation")], world.Emails.Select(e => e.Summary));
        Assert.Equal(Codes.Format(opens), (await world.WaveRowAsync(id, Wave.ThreeMonths, Ct)).GetString("InvitedOn"));

        // The first reminder is due 7 clinic days after the invitation: not at 23:45 the evening before.
        await world.DayAsync(due.AddDays(-1), Ct, hour: 23, minute: 45);
        Assert.Single(world.Emails);
        await world.DayAsync(due, Ct, hour: 0, minute: 30);
        Assert.Equal((due, "reminder"), (world.Emails[^1].ClinicDay, world.Emails[^1].Summary.Kind));
        await world.DayAsync(due.AddDays(7), Ct, hour: 0, minute: 30);

        // The window's last day is still open at 23:45; 00:30 the next day it has closed.
        await world.DayAsync(closes, Ct, hour: 23, minute: 45);
        Assert.Equal(("reminded", 2), await world.WaveStateAsync(id, Wave.ThreeMonths, Ct));
        await world.DayAsync(closes.AddDays(1), Ct, hour: 0, minute: 30);
        Assert.Equal(("expired", 2), await world.WaveStateAsync(id, Wave.ThreeMonths, Ct));
        Assert.Equal(3, world.Emails.Count);
        Assert.All(world.Emails, e => Assert.Equal(Wave.ThreeMonths, e.Wave));
    }

    [Fact]
    public async Task The_ambiguous_hour_at_the_end_of_summer_time_stays_on_the_same_clinic_day()
    {
        var sunday = D("2025-10-26");
        await using var world = await FollowUpWorld.StartAsync(azurite, sunday.AddDays(-1), Ct);
        // 3-month window opening on Monday 2025-10-27.
        await world.EnrolAsync(procedureDate: D("2025-08-03"), Ct);
        await world.DayAsync(sunday.AddDays(-1), Ct);

        // 02:30 local happens twice that night (00:30 and 01:30 UTC); both are still Sunday at the clinic.
        world.Clock.SetUtcNow(new DateTimeOffset(2025, 10, 26, 0, 30, 0, TimeSpan.Zero));
        await world.RunSchedulerAsync(Ct);
        world.Clock.SetUtcNow(new DateTimeOffset(2025, 10, 26, 1, 30, 0, TimeSpan.Zero));
        await world.RunSchedulerAsync(Ct);
        // 23:30 local on Sunday is 22:30 UTC (winter time again): still Sunday.
        world.SetTime(sunday, 23, 30);
        await world.RunSchedulerAsync(Ct);
        Assert.Empty(await world.DrainAsync(Ct));

        // 23:00 UTC on Sunday is 00:00 on Monday at the clinic.
        world.Clock.SetUtcNow(new DateTimeOffset(2025, 10, 26, 23, 0, 0, TimeSpan.Zero));
        await world.RunSchedulerAsync(Ct);
        await world.DrainAsync(Ct);
        Assert.Equal([(sunday.AddDays(1), Wave.ThreeMonths, "invitation")], world.Emails.Select(e => e.Summary));
    }
}
