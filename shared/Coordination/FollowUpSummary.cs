using System.Globalization;
using Azure;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Coordination;

/// <summary>
/// Due, eligible and responded as the nightly report's follow-up table defines them
/// (shared/Analysis/FollowUpOutcomes.cs):
/// due = due date on or before the cut-off; eligible = due, neither dead nor withdrawn before the due date;
/// responded = eligible and answered on or before the cut-off; rate = responded / eligible (null without eligible).
/// </summary>
public sealed record ResponseRate(int Due, int Eligible, int Responded, double? Rate);

/// <summary><see cref="ResponseRate"/> over the waves due from <c>From</c> to <c>To</c> (both included).</summary>
public sealed record PeriodRate(DateOnly From, DateOnly To, int Due, int Eligible, int Responded, double? Rate);

/// <summary><see cref="ResponseRate"/> over the waves due in one calendar month (up to the cut-off).</summary>
public sealed record MonthRate(string Month, int Due, int Eligible, int Responded, double? Rate);

/// <summary>
/// One wave: how many waves are in each state now, how many are overdue on the cut-off day, and the response rates.
/// </summary>
public sealed record WaveSummary(
    string Wave,
    int Scheduled,
    int Invited,
    int Reminded,
    int Answered,
    int Overdue,
    int Expired,
    int Undeliverable,
    int Failed,
    int Skipped,
    IReadOnlyDictionary<string, int> SkippedByReason,
    int OptedOut,
    ResponseRate ResponseRate,
    PeriodRate Last30Days,
    IReadOnlyList<MonthRate> Months
);

/// <summary>The answer of <c>GET /api/followups/summary</c> (docs/openapi.yaml).</summary>
public sealed record FollowUpSummary(DateOnly AsOf, IReadOnlyList<WaveSummary> Waves, int InvitationsPoison);

/// <summary>
/// The coordinator's morning numbers, from the counts of the status index (never a scan of the patients): a read of
/// <c>FollowUpCounts</c> per wave and the poison queue's approximate length.
/// </summary>
public sealed class FollowUpSummaryService(StatusCounts counts, PvpStorage storage, IOptions<FollowUpOptions> options)
{
    /// <summary>The reasons a wave is skipped for (FollowUpRules.SkipReason): always listed, also at zero.</summary>
    public static readonly IReadOnlyList<string> SkipReasons = ["dead", "withdrawn", "optedOut", "noEmail"];

    public const int RecentDays = 30;

    public async Task<FollowUpSummary> GetAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var reads = Waves.All.Select(w => counts.ReadAsync(w, null, cancellationToken)).ToList();
        var poison = PoisonCountAsync(cancellationToken);
        var waves = new List<WaveSummary>();
        for (var i = 0; i < Waves.All.Count; i++)
            waves.Add(Summarise(Waves.All[i], await reads[i], asOf));
        return new FollowUpSummary(asOf, waves, await poison);
    }

    /// <summary>One wave's figures from its due days' counts: pure, so it is tested without storage.</summary>
    public static WaveSummary Summarise(Wave wave, IReadOnlyList<DayCounts> days, DateOnly asOf)
    {
        var byStatus = new Dictionary<WaveStatus, int>();
        var byReason = SkipReasons.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
        var overdue = 0;
        var total = new Tally();
        var recent = new Tally();
        var recentFrom = asOf.AddDays(1 - RecentDays);
        var months = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var day in days)
        {
            var month = day.DueDate <= asOf ? MonthOf(day.DueDate, months) : null;
            foreach (var cell in day.Cells)
            {
                byStatus[cell.Status] = byStatus.GetValueOrDefault(cell.Status) + cell.Count;
                if (cell.Status == WaveStatus.Skipped)
                    byReason[cell.Facet] = byReason.GetValueOrDefault(cell.Facet) + cell.Count;
                if (cell.IsOverdueOn(asOf))
                    overdue += cell.Count;
                if (day.DueDate > asOf)
                    continue;
                total.Add(cell, asOf);
                month!.Add(cell, asOf);
                if (day.DueDate >= recentFrom)
                    recent.Add(cell, asOf);
            }
        }
        FillMonths(months, asOf);
        int Of(WaveStatus s) => byStatus.GetValueOrDefault(s);
        return new WaveSummary(
            wave.Code(),
            Of(WaveStatus.Scheduled),
            Of(WaveStatus.Invited),
            Of(WaveStatus.Reminded),
            Of(WaveStatus.Answered),
            overdue,
            Of(WaveStatus.Expired),
            Of(WaveStatus.Undeliverable),
            Of(WaveStatus.Failed),
            Of(WaveStatus.Skipped),
            byReason,
            byReason["optedOut"],
            new ResponseRate(total.Due, total.Eligible, total.Responded, total.Rate),
            new PeriodRate(recentFrom, asOf, recent.Due, recent.Eligible, recent.Responded, recent.Rate),
            [
                .. months.Select(m => new MonthRate(
                    m.Key,
                    m.Value.Due,
                    m.Value.Eligible,
                    m.Value.Responded,
                    m.Value.Rate
                )),
            ]
        );
    }

    private sealed class Tally
    {
        public int Due { get; private set; }
        public int Eligible { get; private set; }
        public int Responded { get; private set; }
        public double? Rate => Eligible == 0 ? null : (double)Responded / Eligible;

        public void Add(StatusCell cell, DateOnly asOf)
        {
            Due += cell.Count;
            if (!cell.Eligible)
                return;
            Eligible += cell.Count;
            if (cell.Status == WaveStatus.Answered && cell.AnsweredOn <= asOf)
                Responded += cell.Count;
        }
    }

    private static Tally MonthOf(DateOnly day, SortedDictionary<string, Tally> months)
    {
        var key = day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return months.TryGetValue(key, out var t) ? t : months[key] = new Tally();
    }

    /// <summary>Every month from the first with a due wave to the cut-off's, empty ones too (a chart's axis).</summary>
    private static void FillMonths(SortedDictionary<string, Tally> months, DateOnly asOf)
    {
        if (months.Count == 0)
            return;
        var first = DateOnly.ParseExact(months.Keys.First() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (var m = first; m <= asOf; m = m.AddMonths(1))
            MonthOf(m, months);
    }

    /// <summary>Messages the sender gave up on (<c>{InvitationsQueue}-poison</c>); 0 without the queue.</summary>
    private async Task<int> PoisonCountAsync(CancellationToken cancellationToken)
    {
        var queue = storage.Queues.GetQueueClient(options.Value.QueueName + "-poison");
        try
        {
            return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }
}
