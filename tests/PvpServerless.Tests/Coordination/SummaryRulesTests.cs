using PvpServerless.Coordination;
using PvpServerless.Domain;
using PvpServerless.FollowUp;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// The summary's arithmetic over counts written out by hand: three due days of one wave, read on two cut-offs.
/// Expected figures are worked out in the comments, not by the code under test.
/// </summary>
public sealed class SummaryRulesTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static DayCounts Day(string due, params (WaveStatus Status, bool Eligible, string Facet, int N)[] cells) =>
        new(D(due), [.. cells.Select(c => new StatusCell(D(due), c.Status, c.Eligible, c.Facet, c.N))]);

    private static readonly DayCounts[] Days =
    [
        // 4 due: 2 answered on the next day (+1), 1 expired, 1 skipped dead (died before the due date: not eligible).
        Day(
            "2025-02-20",
            (WaveStatus.Answered, true, "1", 2),
            (WaveStatus.Expired, true, "", 1),
            (WaveStatus.Skipped, false, "dead", 1)
        ),
        // 4 due: 1 answered late (2 April, +23), 2 reminded with the window 3 March – 7 April (due −7 to +28),
        // 1 undeliverable.
        Day(
            "2025-03-10",
            (WaveStatus.Answered, true, "23", 1),
            (WaveStatus.Reminded, true, "-7/28", 2),
            (WaveStatus.Undeliverable, true, "", 1)
        ),
        // 4 due on 15 April: 1 invited (window 8 April – 13 May), 3 scheduled.
        Day("2025-04-15", (WaveStatus.Invited, true, "-7/28", 1), (WaveStatus.Scheduled, true, "", 3)),
    ];

    [Fact]
    public void On_31_March_the_late_answer_and_the_April_waves_do_not_count_yet()
    {
        var s = FollowUpSummaryService.Summarise(Wave.ThreeMonths, Days, D("2025-03-31"));
        // States are as they are now, whatever the cut-off.
        Assert.Equal(
            (3, 1, 2, 3, 1, 1, 0, 1),
            (s.Scheduled, s.Invited, s.Reminded, s.Answered, s.Expired, s.Undeliverable, s.Failed, s.Skipped)
        );
        Assert.Equal(1, s.SkippedByReason["dead"]);
        Assert.Equal(0, s.OptedOut);
        // Overdue on 31 March: the two reminded (window to 7 April); the invited wave's window opens 8 April.
        Assert.Equal(2, s.Overdue);
        // Due 8 (Feb 20 and Mar 10), eligible 7 (one died before), responded 2 (the answer of 2 April is later).
        Assert.Equal(new ResponseRate(8, 7, 2, 2 / 7.0), s.ResponseRate);
        // The last 30 days are 2–31 March: the 10 March waves only.
        Assert.Equal(new PeriodRate(D("2025-03-02"), D("2025-03-31"), 4, 4, 0, 0), s.Last30Days);
        Assert.Equal([new MonthRate("2025-02", 4, 3, 2, 2 / 3.0), new MonthRate("2025-03", 4, 4, 0, 0)], s.Months);
    }

    [Fact]
    public void On_30_April_the_late_answer_counts_and_the_invited_wave_is_overdue()
    {
        var s = FollowUpSummaryService.Summarise(Wave.ThreeMonths, Days, D("2025-04-30"));
        Assert.Equal(1, s.Overdue);
        Assert.Equal(new ResponseRate(12, 11, 3, 3 / 11.0), s.ResponseRate);
        Assert.Equal(new PeriodRate(D("2025-04-01"), D("2025-04-30"), 4, 4, 0, 0), s.Last30Days);
        Assert.Equal(
            [
                new MonthRate("2025-02", 4, 3, 2, 2 / 3.0),
                new MonthRate("2025-03", 4, 4, 1, 1 / 4.0),
                new MonthRate("2025-04", 4, 4, 0, 0),
            ],
            s.Months
        );
    }

    [Fact]
    public void A_month_without_due_waves_is_listed_empty_and_no_waves_give_no_rate()
    {
        var s = FollowUpSummaryService.Summarise(Wave.OneYear, [Days[0]], D("2025-04-10"));
        Assert.Equal(["2025-02", "2025-03", "2025-04"], s.Months.Select(m => m.Month));
        Assert.Equal(new MonthRate("2025-03", 0, 0, 0, null), s.Months[1]);
        Assert.Equal(new PeriodRate(D("2025-03-12"), D("2025-04-10"), 0, 0, 0, null), s.Last30Days);
        var empty = FollowUpSummaryService.Summarise(Wave.OneYear, [], D("2025-04-10"));
        Assert.Equal((new ResponseRate(0, 0, 0, null), 0), (empty.ResponseRate, empty.Months.Count));
        Assert.Equal(["dead", "withdrawn", "optedOut", "noEmail"], empty.SkippedByReason.Keys);
    }

    [Fact]
    public void Cells_are_short_text_counting_days_from_the_due_date()
    {
        var due = D("2025-03-10");
        StatusEntry Entry(WaveStatus s, bool eligible, string? reason = null, DateOnly? answered = null) =>
            new(
                "P-1",
                Wave.ThreeMonths,
                due,
                D("2025-03-03"),
                D("2025-04-07"),
                s,
                eligible,
                reason,
                answered,
                0,
                null,
                null,
                null,
                null,
                null,
                null
            );
        Assert.Equal(
            ["a+3", "a-0", "r+-7/28", "k-dead", "s+", "i+-7/28"],
            new[]
            {
                Entry(WaveStatus.Answered, true, answered: D("2025-03-13")),
                Entry(WaveStatus.Answered, false, answered: D("2025-03-08")),
                Entry(WaveStatus.Reminded, true),
                Entry(WaveStatus.Skipped, false, "dead"),
                Entry(WaveStatus.Scheduled, true),
                Entry(WaveStatus.Invited, true),
            }.Select(e => e.Cell)
        );
        var text = StatusCells.Format(
            new Dictionary<string, int>
            {
                ["s+"] = 40,
                ["a+3"] = 2,
                ["k-dead"] = 0,
            }
        );
        Assert.Equal("a+3=2;s+=40", text);
        Assert.Equal(
            [(WaveStatus.Answered, true, (DateOnly?)D("2025-03-13"), 2), (WaveStatus.Scheduled, true, null, 40)],
            StatusCells.Read(due, text).Select(c => (c.Status, c.Eligible, c.AnsweredOn, c.Count))
        );
    }
}
