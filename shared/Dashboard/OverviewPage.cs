using System.Text;
using PvpServerless.Coordination;
using PvpServerless.Reports.Nightly;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>
/// The morning page: per wave a tile for every figure of the summary, each linking to the list behind it (so a tile's
/// count is that list's length), the response rate, the poison count, the chart, and the latest report.
/// </summary>
public static class OverviewPage
{
    /// <summary>The tiles of a wave, in order: the status (or <c>optedOut</c>) and its count.</summary>
    public static IReadOnlyList<(string Status, int Count)> Figures(WaveSummary w) =>
        [
            ("scheduled", w.Scheduled),
            ("invited", w.Invited),
            ("reminded", w.Reminded),
            ("answered", w.Answered),
            ("overdue", w.Overdue),
            ("expired", w.Expired),
            ("undeliverable", w.Undeliverable),
            ("failed", w.Failed),
            ("skipped", w.Skipped),
            ("optedOut", w.OptedOut),
        ];

    /// <summary>The list page behind a tile; opted out is the skipped list for that reason.</summary>
    public static string ListUrl(string wave, string status, DashboardText t) =>
        status == "optedOut"
            ? Url(DashboardRoutes.FollowUps, t, ("wave", wave), ("status", "skipped"), ("reason", "optedOut"))
            : Url(DashboardRoutes.FollowUps, t, ("wave", wave), ("status", status));

    public static string Render(FollowUpSummary summary, LatestReport? report, DashboardText t)
    {
        var sb = new StringBuilder(16384);
        sb.Append("<h1>")
            .Append(E(t.Overview))
            .Append(" <span class=\"muted\">")
            .Append(E(t.AsOf))
            .Append(' ')
            .Append(E(Codes(summary.AsOf)))
            .Append("</span></h1>\n");
        foreach (var wave in summary.Waves)
            Wave(sb, wave, t);
        sb.Append("<section aria-labelledby=\"h-poison\"><h2 id=\"h-poison\">")
            .Append(E(t.Poison))
            // A tile among tiles, the width of the others (alone it stretched across the page).
            .Append("</h2>\n<ul class=\"tiles\"><li><p class=\"tile rate\" id=\"tile-poison\"><span class=\"count\">")
            .Append(Number(summary.InvitationsPoison))
            .Append("</span><span class=\"label\">")
            .Append(E(t.PoisonHint))
            .Append("</span></p></li></ul></section>\n");
        sb.Append(RateChart.Render(summary, t));
        sb.Append("<section aria-labelledby=\"h-report\"><h2 id=\"h-report\">").Append(E(t.Report)).Append("</h2>\n");
        if (report is null)
            sb.Append("<p>").Append(E(t.NoReport)).Append("</p>");
        else
        {
            sb.Append("<p><a id=\"report-link\" href=\"")
                .Append(E(Url(DashboardRoutes.Report, t)))
                .Append("\">")
                .Append(E(t.Report))
                .Append(", ")
                .Append(E(Codes(report.Day)))
                .Append(" (PDF)</a></p>");
        }
        return sb.Append("</section>\n").ToString();
    }

    private static string Codes(DateOnly day) => Domain.Codes.Format(day);

    private static void Wave(StringBuilder sb, WaveSummary wave, DashboardText t)
    {
        var id = "h-" + wave.Wave;
        sb.Append("<section aria-labelledby=\"")
            .Append(id)
            .Append("\"><h2 id=\"")
            .Append(id)
            .Append("\">")
            .Append(E(t.WaveName(wave.Wave)))
            .Append("</h2>\n<ul class=\"tiles\">\n");
        var rate = wave.ResponseRate;
        sb.Append("<li><p class=\"tile rate\" id=\"tile-")
            .Append(wave.Wave)
            .Append("-rate\"><span class=\"count\">")
            .Append(E(rate.Rate is null ? "–" : Percent(rate.Rate, t)))
            .Append("</span><span class=\"label\">")
            .Append(E(t.ResponseRate))
            .Append("</span><span class=\"note\">")
            // "0/0 none eligible yet" said the same thing twice.
            .Append(
                E(
                    rate.Rate is null
                        ? t.NoneEligible
                        : Number(rate.Responded) + "/" + Number(rate.Eligible) + " " + t.OfEligible
                )
            )
            .Append("</span></p></li>\n");
        foreach (var (status, count) in Figures(wave))
        {
            sb.Append("<li><a class=\"tile\" id=\"tile-")
                .Append(wave.Wave)
                .Append('-')
                .Append(status)
                .Append("\" href=\"")
                .Append(E(ListUrl(wave.Wave, status, t)))
                .Append("\"><span class=\"count\">")
                .Append(Number(count))
                .Append("</span><span class=\"label\">")
                .Append(E(t.StatusName(status)))
                .Append("</span></a></li>\n");
        }
        sb.Append("</ul></section>\n");
    }
}
