using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using static PvpServerless.Reports.ReportFormat;
using static PvpServerless.Reports.Sections.ReportBuilder;

namespace PvpServerless.Reports.Sections;

/// <summary>
/// Table 3: distribution of the pain item at baseline and follow-up, medians, chi-squared and Wilcoxon tests.
/// </summary>
internal static class PainSection
{
    public static void Add(ReportBuilder b, Outcomes o)
    {
        b.Section(ReportHeadings.Pain);
        if (o.Pain.Count == 0)
        {
            b.NotYet("the pain item needs at least 1 patient with an answer at baseline and at a follow-up.");
            return;
        }
        var header = new List<string> { "ODI item 1, n (%)" };
        foreach (var p in o.Pain)
            header.AddRange([$"Baseline\n({Wave(p.To)} pairs)", Wave(p.To)]);
        var rows = new List<TableRow>();
        for (var k = 0; k < 6; k++)
        {
            var cells = new List<string> { PainCategories[k] };
            foreach (var p in o.Pain)
                cells.AddRange([Cell(p.BaselineCounts, k), Cell(p.FollowUpCounts, k)]);
            rows.Add(Row([.. cells]));
        }
        var medians = new List<string> { "Median" };
        foreach (var p in o.Pain)
            medians.AddRange([Number(p.BaselineMedian, 1), Number(p.FollowUpMedian, 1)]);
        rows.Add(Row([.. medians]));
        var columns = new List<TableColumn> { new(1.6f) };
        foreach (var _ in o.Pain)
            columns.AddRange([new TableColumn(1.2f, CellAlign.Right), new TableColumn(1f, CellAlign.Right)]);
        b.Table(columns, header, rows);

        b.Subsection("Tests of baseline against follow-up");
        b.Table(
            [
                new TableColumn(1f),
                new TableColumn(0.5f, CellAlign.Right),
                new TableColumn(2f, CellAlign.Right),
                new TableColumn(2f, CellAlign.Right),
            ],
            ["Follow-up", "Pairs", "Chi-squared test (as the paper)", "Wilcoxon signed-rank test"],
            o.Pain.Select(p =>
                    Row(
                        Wave(p.To),
                        p.N.ToString(),
                        p.ChiSquared is { } c
                            ? $"χ² = {Number(c.Statistic, 2)}, df = {c.Df}, p = {P(c.P)}".Replace("p = <", "p <")
                            : Missing,
                        p.Wilcoxon is { } w
                            ? $"V = {Number(w.Statistic, 1)}, p = {P(w.P)}".Replace("p = <", "p <")
                            : Missing
                    )
                )
                .ToList()
        );
        b.Small(
            "Counts are of patients with a pain answer at both time points. The chi-squared test (no continuity "
                + "correction) compares the two distributions as the seed paper did; the Wilcoxon signed-rank test "
                + "(normal approximation with continuity correction) uses the pairing and the order of the categories."
        );
        foreach (var p in o.Pain)
        {
            if (p.ChiSquared is null)
                b.NotYet($"chi-squared test at {Wave(p.To)} (fewer than 2 categories answered).");
            if (p.Wilcoxon is null)
                b.NotYet($"Wilcoxon test at {Wave(p.To)} (every paired difference is 0).");
        }
    }

    private static string Cell(IReadOnlyList<int> counts, int k)
    {
        var total = counts.Sum();
        var n = k < counts.Count ? counts[k] : 0;
        return CountPercent(n, total > 0 ? 100.0 * n / total : null);
    }
}
