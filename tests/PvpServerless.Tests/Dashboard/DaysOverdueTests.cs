using System.Globalization;
using PvpServerless.Coordination;
using PvpServerless.Dashboard;
using PvpServerless.Domain;
using PvpServerless.FollowUp;

namespace PvpServerless.Tests.Dashboard;

/// <summary>
/// Days overdue (docs/coordination.md, "Dashboard"): for a wave on the overdue list that day, the whole days since its
/// window opened, 0 on the first; none for any other wave. The same figure in the API's item and on the dashboard's
/// list, and a wave has one exactly when the overdue tile counts it. Expected days are counted on a calendar here.
/// </summary>
public sealed class DaysOverdueTests
{
    private static readonly DateOnly Today = D("2026-11-30");

    private static DateOnly D(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static StatusEntry Entry(string wave, string status, string due, string opens, string closes)
    {
        Assert.True(Waves.TryParse(wave, out var w));
        Assert.True(Codes.TryParse<WaveStatus>(status, out var s));
        return new(
            "PVP-0001",
            w,
            D(due),
            D(opens),
            D(closes),
            s,
            true,
            null,
            s == WaveStatus.Answered ? Today : null,
            0,
            "invitation",
            "sent",
            null,
            null,
            null,
            null
        );
    }

    // Procedure yesterday, enrolled today: the baseline's window opens today, a day after its due date (0).
    [InlineData("opens today", "baseline", "invited", "2026-11-29", "2026-11-30", "2026-12-13", 0)]
    [InlineData("opened yesterday", "baseline", "invited", "2026-11-28", "2026-11-29", "2026-12-12", 1)]
    // A 3-month window opens 7 days before its due date (6 December): 29 to 30 November is 1 day.
    [InlineData("opened yesterday, due later", "3m", "reminded", "2026-12-06", "2026-11-29", "2027-01-03", 1)]
    // 2 November to 30 November: 28 days.
    [InlineData("closes today", "3m", "reminded", "2026-11-09", "2026-11-02", "2026-11-30", 28)]
    [InlineData("closed yesterday", "baseline", "reminded", "2026-11-15", "2026-11-16", "2026-11-29", null)]
    [InlineData("opens tomorrow", "1y", "invited", "2026-12-08", "2026-12-01", "2027-01-05", null)]
    [InlineData("scheduled, window open", "1y", "scheduled", "2026-12-07", "2026-11-30", "2027-01-04", null)]
    [InlineData("answered", "baseline", "answered", "2026-11-29", "2026-11-30", "2026-12-13", null)]
    [Theory]
    public void The_api_and_the_dashboards_list_count_the_days_since_the_window_opened_while_overdue(
        string day,
        string wave,
        string status,
        string due,
        string opens,
        string closes,
        int? expected
    )
    {
        var entry = Entry(wave, status, due, opens, closes);

        var item = FollowUpItem.Of(entry, Today);

        Assert.Equal((day, expected), (day, item.DaysOverdue));
        // The overdue tile counts the wave exactly when it has days overdue.
        var cell = StatusCells.Read(entry.DueDate, entry.Cell + "=1").Single();
        var overdue = new FollowUpFilter(null, null, Overdue: true, null, Today);
        Assert.Equal((day, expected is not null), (day, overdue.Matches(cell)));
        // The dashboard's list shows the item's figure, an empty cell for none.
        var form = new FormContext("check", "/api/dashboard", DashboardText.English, Today);
        var html = ListPage.Render(overdue, new FollowUpPage([item], null), null, form);
        var shown = $"<td class=\"num\">{expected?.ToString(CultureInfo.InvariantCulture)}</td>";
        Assert.True(html.Contains(shown, StringComparison.Ordinal), $"{day}: no {shown} in the row");
    }
}
