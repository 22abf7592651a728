using PvpServerless.Domain;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// One patient's year of follow-up, a scheduler run every morning and the queue drained after it: what reaches
/// SendGrid and what the wave rows say, day by day. Expected days are written out from the rules (baseline window
/// from enrolment to procedure + 14 days; 3 months and 1 year from due − 7 to due + 28; reminders 7 and 14 days after
/// the invitation), not computed by the code under test.
/// </summary>
public sealed class PatientYearTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Wave states the rows must show after the run of the given day.</summary>
    private static readonly Dictionary<DateOnly, (Wave Wave, string State, int Reminders)[]> StatesAfter = new()
    {
        [D("2025-01-13")] = [(Wave.Baseline, "invited", 0), (Wave.ThreeMonths, "scheduled", 0)],
        [D("2025-01-19")] = [(Wave.Baseline, "invited", 0)],
        [D("2025-01-20")] = [(Wave.Baseline, "reminded", 1)],
        [D("2025-01-27")] = [(Wave.Baseline, "reminded", 2)], // the window's last day
        [D("2025-01-28")] = [(Wave.Baseline, "expired", 2)],
        [D("2025-04-05")] = [(Wave.ThreeMonths, "scheduled", 0)],
        [D("2025-04-06")] = [(Wave.ThreeMonths, "invited", 0)], // due 2025-04-13, opens 7 days before
        [D("2025-04-13")] = [(Wave.ThreeMonths, "reminded", 1)],
        [D("2025-04-20")] = [(Wave.ThreeMonths, "reminded", 2)],
        [D("2025-05-11")] = [(Wave.ThreeMonths, "reminded", 2)], // closes due + 28
        [D("2025-05-12")] = [(Wave.ThreeMonths, "expired", 2), (Wave.OneYear, "scheduled", 0)],
        [D("2026-01-06")] = [(Wave.OneYear, "invited", 0)],
        [D("2026-01-20")] = [(Wave.OneYear, "reminded", 2)],
        [D("2026-02-10")] = [(Wave.OneYear, "reminded", 2)],
        [D("2026-02-11")] = [(Wave.OneYear, "expired", 2)],
    };

    private static readonly (DateOnly Day, Wave Wave, string Kind)[] YearOfEmails =
    [
        (D("2025-01-13"), Wave.Baseline, "invitation"),
        (D("2025-01-20"), Wave.Baseline, "reminder"),
        (D("2025-01-27"), Wave.Baseline, "reminder"),
        (D("2025-04-06"), Wave.ThreeMonths, "invitation"),
        (D("2025-04-13"), Wave.ThreeMonths, "reminder"),
        (D("2025-04-20"), Wave.ThreeMonths, "reminder"),
        (D("2026-01-06"), Wave.OneYear, "invitation"),
        (D("2026-01-13"), Wave.OneYear, "reminder"),
        (D("2026-01-20"), Wave.OneYear, "reminder"),
    ];

    [Fact]
    public async Task A_year_sends_each_wave_an_invitation_and_two_reminders_with_one_link_then_expires_it()
    {
        var enrolled = D("2025-01-13");
        await using var world = await FollowUpWorld.StartAsync(azurite, enrolled, Ct);
        var id = await world.EnrolAsync(procedureDate: enrolled, Ct);

        for (var day = enrolled; day <= D("2026-02-14"); day = day.AddDays(1))
        {
            await world.DayAsync(day, Ct);
            foreach (var (wave, state, reminders) in StatesAfter.GetValueOrDefault(day, []))
            {
                var row = await world.WaveStateAsync(id, wave, Ct);
                Assert.Equal((day, wave, state, (int?)reminders), (day, wave, row.State, row.Reminders));
                // A sent e-mail's claim is cleared from the row, not left behind for the next decision to puzzle over.
                Assert.False((await world.WaveRowAsync(id, wave, Ct)).ContainsKey("ClaimedUntil"), $"{day} {wave}");
            }
        }

        var emails = world.Emails;
        Assert.Equal(YearOfEmails, emails.Select(e => e.Summary));
        Assert.All(emails, e => Assert.Equal(FollowUpWorld.Address(id), e.To));
        Assert.Equal(9, emails.Select(e => e.EmailId).Distinct().Count());
        // One link per wave, the same in its invitation and reminders; each wave its own.
        var links = emails.GroupBy(e => e.Wave).ToDictionary(g => g.Key, g => g.Select(e => e.Token).Distinct());
        Assert.All(links.Values, tokens => Assert.Single(tokens));
        Assert.Equal(3, links.Values.SelectMany(t => t).Distinct().Count());
    }

    [Fact]
    public async Task The_invitation_day_is_kept_on_the_row_and_the_email_names_the_windows_last_day()
    {
        var enrolled = D("2025-01-13");
        await using var world = await FollowUpWorld.StartAsync(azurite, enrolled, Ct);
        var id = await world.EnrolAsync(procedureDate: enrolled.AddDays(3), Ct);

        await world.DayAsync(enrolled, Ct);

        var row = await world.WaveRowAsync(id, Wave.Baseline, Ct);
        Assert.Equal(
            ("2025-01-13", "2025-01-30", "2025-01-13"),
            (row.GetString("OpensOn"), row.GetString("ClosesOn"), row.GetString("InvitedOn"))
        );
        Assert.Equal("sent", row.GetString("EmailStatus"));
        Assert.StartsWith("fake-", row.GetString("ProviderMessageId"), StringComparison.Ordinal);
        var email = Assert.Single(world.Emails);
        Assert.Contains("up to and including Thursday 30 January 2025", email.Text, StringComparison.Ordinal);
    }
}
