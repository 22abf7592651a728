using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Coordination;
using PvpServerless.Coordination.Actions;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Patients;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// Each action as the scheduler's next runs see it, on a moved clock (FollowUpWorld: the real services over Azurite,
/// SendGrid faked): the days below are worked out here from the settings' defaults (windows open 7 days before the
/// due date and close 28 days after; reminders 7 and 14 days after the invitation), not by the code.
/// </summary>
public sealed class ActionSchedulerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Actor Coordinator = new("coordinator", "AB");

    // Procedure on Monday 2025-02-03: the 3-month wave is due 2025-05-03, opens 2025-04-26 and closes 2025-05-31.
    private static readonly DateOnly Day0 = new(2025, 2, 3);

    private static DateOnly D(string day) => DateOnly.Parse(day, CultureInfo.InvariantCulture);

    private async Task<(FollowUpWorld World, string Id)> InvitedToThreeMonthsAsync()
    {
        var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        await world.DayAsync(Day0, Ct);
        await world.DayAsync(D("2025-04-26"), Ct);
        Assert.Equal((D("2025-04-26"), Wave.ThreeMonths, "invitation"), world.Emails.Last().Summary);
        return (world, id);
    }

    private static IReadOnlyList<(DateOnly, Wave, string)> ThreeMonthEmails(FollowUpWorld world) =>
        [.. world.Emails.Where(e => e.Wave == Wave.ThreeMonths).Select(e => e.Summary)];

    private static T Service<T>(FollowUpWorld world)
        where T : notnull => world.Host(0).GetRequiredService<T>();

    [Fact]
    public async Task A_later_window_moves_the_expiry_and_the_link_and_an_early_one_does_not_expire()
    {
        var (world, id) = await InvitedToThreeMonthsAsync();
        await using var _ = world;
        world.SetTime(D("2025-04-28"));
        var outcome = await Service<WindowChange>(world)
            .ChangeAsync(id, "3m", new WindowRequest("2025-06-20"), Coordinator, Ct);
        Assert.True(Assert.IsType<ActionOutcome.Done>(outcome).Changed);

        // The reminders go as before; the old closing day passes without expiry; the new day closes it.
        await world.DayAsync(D("2025-05-03"), Ct);
        await world.DayAsync(D("2025-05-10"), Ct);
        var onOldDay = await world.DayAsync(D("2025-06-01"), Ct);
        Assert.Equal(0, onOldDay.Expired);
        Assert.Equal(("reminded", 2), await world.WaveStateAsync(id, Wave.ThreeMonths, Ct));
        await world.DayAsync(D("2025-06-20"), Ct);
        Assert.Equal(("reminded", 2), await world.WaveStateAsync(id, Wave.ThreeMonths, Ct));
        var dayAfter = await world.DayAsync(D("2025-06-21"), Ct);
        Assert.Equal(1, dayAfter.Expired);
        Assert.Equal("expired", (await world.WaveStateAsync(id, Wave.ThreeMonths, Ct)).State);
        Assert.Equal(
            [
                (D("2025-04-26"), Wave.ThreeMonths, "invitation"),
                (D("2025-05-03"), Wave.ThreeMonths, "reminder"),
                (D("2025-05-10"), Wave.ThreeMonths, "reminder"),
            ],
            ThreeMonthEmails(world)
        );
        // The link in those e-mails works until the new closing day.
        var token = world.Emails.First(e => e.Wave == Wave.ThreeMonths).Token;
        var grant = await Service<TokenStore>(world).FindAsync(token, Ct);
        Assert.Equal(D("2025-06-20"), grant!.ClosesOn);
        // No index row is left on the old expiry day.
        var oldRow = await world.Storage.Schedule.GetEntityIfExistsAsync<TableEntity>(
            "2025-06-01",
            $"{StudyIds.Key(id)}|3m",
            cancellationToken: Ct
        );
        Assert.False(oldRow.HasValue);
    }

    [Fact]
    public async Task An_expired_wave_opens_again_and_a_repeat_changes_nothing()
    {
        var (world, id) = await InvitedToThreeMonthsAsync();
        await using var _ = world;
        foreach (var day in new[] { "2025-05-03", "2025-05-10", "2025-06-01" })
            await world.DayAsync(D(day), Ct);
        Assert.Equal("expired", (await world.WaveStateAsync(id, Wave.ThreeMonths, Ct)).State);

        world.SetTime(D("2025-06-03"));
        var window = Service<WindowChange>(world);
        var first = await window.ChangeAsync(id, "3m", new WindowRequest("2025-06-30"), Coordinator, Ct);
        var again = await window.ChangeAsync(id, "3m", new WindowRequest("2025-06-30"), Coordinator, Ct);
        Assert.Equal(
            new WindowAnswer(id, "3m", D("2025-04-26"), D("2025-06-30"), "reminded", Changed: true),
            Assert.IsType<ActionOutcome.Done>(first).Answer
        );
        Assert.Equal(
            new WindowAnswer(id, "3m", D("2025-04-26"), D("2025-06-30"), "reminded", Changed: false),
            Assert.IsType<ActionOutcome.Done>(again).Answer
        );
        Assert.Single(await AuditAsync(world, id, WindowChange.Action));
        // Both reminders went before: nothing more is sent, and it expires after the new day.
        await world.DayAsync(D("2025-06-30"), Ct);
        Assert.Equal("reminded", (await world.WaveStateAsync(id, Wave.ThreeMonths, Ct)).State);
        await world.DayAsync(D("2025-07-01"), Ct);
        Assert.Equal("expired", (await world.WaveStateAsync(id, Wave.ThreeMonths, Ct)).State);
        Assert.Equal(3, ThreeMonthEmails(world).Count);
    }

    [Fact]
    public async Task A_resend_carries_the_same_link_while_open_and_a_new_one_once_the_window_reopens()
    {
        var (world, id) = await InvitedToThreeMonthsAsync();
        await using var _ = world;
        var resend = Service<InvitationResend>(world);
        world.SetTime(D("2025-04-28"), hour: 10);
        var first = await resend.ResendAsync(id, "3m", null, Coordinator, Ct);
        var repeat = await resend.ResendAsync(id, "3m", null, Coordinator, Ct);
        var answer = Assert.IsType<ResendAnswer>(Assert.IsType<ActionOutcome.Done>(first).Answer);
        Assert.Equal(answer with { Changed = false }, Assert.IsType<ActionOutcome.Done>(repeat).Answer);
        Assert.False(answer.NewLink);
        await world.DrainAsync(Ct);

        // The resend is an invitation with the wave's link; the reminders now count from it.
        foreach (var day in new[] { "2025-05-03", "2025-05-05", "2025-05-10", "2025-05-12", "2025-05-31" })
            await world.DayAsync(D(day), Ct);
        Assert.Equal(
            [
                (D("2025-04-26"), Wave.ThreeMonths, "invitation"),
                (D("2025-04-28"), Wave.ThreeMonths, "invitation"),
                (D("2025-05-05"), Wave.ThreeMonths, "reminder"),
                (D("2025-05-12"), Wave.ThreeMonths, "reminder"),
            ],
            ThreeMonthEmails(world)
        );
        var sent = world.Emails.Where(e => e.Wave == Wave.ThreeMonths).ToList();
        Assert.Single(sent.Select(e => e.Token).Distinct());
        Assert.Equal(answer.EmailId, sent[1].EmailId);

        // Closed: a resend needs a new closing day, and then carries a new link that works until then.
        await world.DayAsync(D("2025-06-02"), Ct);
        var refused = await resend.ResendAsync(id, "3m", null, Coordinator, Ct);
        Assert.Equal("closesOn", Assert.IsType<ActionOutcome.Conflict>(refused).Field);
        var reopened = await resend.ResendAsync(id, "3m", new ResendRequest(null, "2025-06-30"), Coordinator, Ct);
        Assert.True(Assert.IsType<ResendAnswer>(Assert.IsType<ActionOutcome.Done>(reopened).Answer).NewLink);
        await world.DrainAsync(Ct);
        var last = world.Emails.Last();
        Assert.Equal((D("2025-06-02"), Wave.ThreeMonths, "invitation"), last.Summary);
        Assert.NotEqual(sent[0].Token, last.Token);
        var tokens = Service<TokenStore>(world);
        Assert.Equal(D("2025-06-30"), (await tokens.FindAsync(last.Token, Ct))!.ClosesOn);
        Assert.Equal(D("2025-05-31"), (await tokens.FindAsync(sent[0].Token, Ct))!.ClosesOn);
        Assert.Equal(("invited", 0), await world.WaveStateAsync(id, Wave.ThreeMonths, Ct));
        Assert.Equal(2, (await AuditAsync(world, id, InvitationResend.Action)).Count);
    }

    [Fact]
    public async Task Opting_out_skips_the_open_wave_at_once_and_opting_in_resumes_it_while_its_window_is_open()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        await world.DayAsync(Day0, Ct);
        var opt = Service<OptOutChange>(world);

        world.SetTime(Day0.AddDays(2));
        await opt.OptOutAsync(id, Coordinator, Ct);
        var row = await world.WaveRowAsync(id, Wave.Baseline, Ct);
        Assert.Equal(("skipped", "optedOut"), (row.GetString("State"), row.GetString("SkipReason")));

        world.SetTime(Day0.AddDays(4));
        var optIn = Assert.IsType<ActionOutcome.Done>(await opt.OptInAsync(id, Coordinator, Ct));
        // The opt-out had the later waves skipped too (the scheduler's rule): they resume, not yet open.
        Assert.Equal(["baseline", "3m", "1y"], Assert.IsType<OptOutAnswer>(optIn.Answer).Resumed);
        Assert.Equal(("invited", 0), await world.WaveStateAsync(id, Wave.Baseline, Ct));
        var again = Assert.IsType<ActionOutcome.Done>(await opt.OptInAsync(id, Coordinator, Ct));
        Assert.False(again.Changed);

        // The reminders go on their days (7 and 14 days after the invitation), and the 3-month invitation too.
        foreach (var day in new[] { Day0.AddDays(7), Day0.AddDays(14), D("2025-04-26") })
            await world.DayAsync(day, Ct);
        Assert.Equal(
            [
                (Day0, Wave.Baseline, "invitation"),
                (Day0.AddDays(7), Wave.Baseline, "reminder"),
                (Day0.AddDays(14), Wave.Baseline, "reminder"),
                (D("2025-04-26"), Wave.ThreeMonths, "invitation"),
            ],
            world.Emails.Select(e => e.Summary)
        );
        Assert.Single(await AuditAsync(world, id, OptOutChange.OptedIn));
        Assert.Equal(3, (await AuditAsync(world, id, OptOutChange.WaveResumed)).Count);
    }

    [Fact]
    public async Task A_wave_whose_window_closed_while_opted_out_stays_skipped()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        await world.DayAsync(Day0, Ct);
        var opt = Service<OptOutChange>(world);
        world.SetTime(Day0.AddDays(2));
        await opt.OptOutAsync(id, Coordinator, Ct);
        world.SetTime(Day0.AddDays(20)); // the baseline window closed on day 14
        var optIn = Assert.IsType<ActionOutcome.Done>(await opt.OptInAsync(id, Coordinator, Ct));
        Assert.Equal(["3m", "1y"], Assert.IsType<OptOutAnswer>(optIn.Answer).Resumed);
        Assert.Equal("skipped", (await world.WaveStateAsync(id, Wave.Baseline, Ct)).State);
        await world.DayAsync(D("2025-04-26"), Ct);
        Assert.Equal(
            [(Day0, Wave.Baseline, "invitation"), (D("2025-04-26"), Wave.ThreeMonths, "invitation")],
            world.Emails.Select(e => e.Summary)
        );
    }

    [Fact]
    public async Task A_death_skips_the_open_wave_at_once_and_no_email_follows()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        await world.DayAsync(Day0, Ct);
        world.SetTime(Day0.AddDays(3));
        await world.RecordAsync(id, "death", Ct);
        // No scheduler run yet: the event itself had the scheduler decide.
        var row = await world.WaveRowAsync(id, Wave.Baseline, Ct);
        Assert.Equal(("skipped", "dead"), (row.GetString("State"), row.GetString("SkipReason")));

        foreach (var day in new[] { "2025-02-10", "2025-04-26", "2025-05-10", "2026-01-27" })
            await world.DayAsync(D(day), Ct);
        Assert.Single(world.Emails);
    }

    private static async Task<List<TableEntity>> AuditAsync(FollowUpWorld world, string id, string action) =>
        await world
            .Storage.Patients.QueryAsync<TableEntity>(
                $"PartitionKey eq '{StudyIds.Key(id)}' and RowKey ge 'audit|' and RowKey lt 'audit}}' "
                    + $"and Action eq '{action}'",
                cancellationToken: Ct
            )
            .ToListAsync(Ct);
}
