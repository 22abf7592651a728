using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using static PvpServerless.Reports.ReportFormat;
using static PvpServerless.Reports.Sections.ReportBuilder;

namespace PvpServerless.Reports.Sections;

/// <summary>Table 2 (paired comparisons of EQ-5D, EQ VAS and ODI) and the responder table.</summary>
internal static class Table2Section
{
    public static void Add(ReportBuilder b, Outcomes o, ReportContext context)
    {
        b.Section(ReportHeadings.Table2);
        var rows = new List<TableRow>();
        var missing = new List<string>();
        var noP = new List<string>();
        foreach (var outcome in Lookups.Outcomes)
        {
            rows.Add(Group(Outcome(outcome), "", "", "", "", "", ""));
            foreach (var to in Lookups.FollowUps)
            {
                var d = Decimals(outcome);
                if (o.Comparison(outcome, to) is not { } c)
                {
                    rows.Add(Indented(Wave(to), "< 2", Missing, Missing, Missing, Missing, Missing));
                    missing.Add(Lookups.Label(outcome, to));
                    continue;
                }
                rows.Add(
                    Indented(
                        Wave(to),
                        c.N.ToString(),
                        MeanSd(c.Baseline.Mean, c.Baseline.Sd, d),
                        MeanSd(c.FollowUp.Mean, c.FollowUp.Sd, d),
                        Number(c.Difference.Mean, d),
                        c.Difference.Ci95 is { } ci ? Interval(ci.Lower, ci.Upper, d) : Missing,
                        P(c.P)
                    )
                );
                if (c.P is null)
                    noP.Add(Lookups.Label(outcome, to));
            }
        }
        b.Table(
            [
                new TableColumn(1.5f),
                new TableColumn(0.55f, CellAlign.Right),
                new TableColumn(1.45f, CellAlign.Right),
                new TableColumn(1.45f, CellAlign.Right),
                new TableColumn(1f, CellAlign.Right),
                new TableColumn(1.45f, CellAlign.Right),
                new TableColumn(0.8f, CellAlign.Right),
            ],
            ["Outcome,\nfollow-up", "n", "Baseline\nmean ± SD", "Follow-up\nmean ± SD", "Difference", "95 % CI", "p"],
            rows
        );
        b.Small(
            "n = patients who answered at baseline and at the follow-up (pairs); each comparison has its own baseline, "
                + "as in the seed paper. Difference = follow-up − baseline; paired t-test. EQ-5D = European Quality of "
                + "Life – 5 Dimensions (index, higher is better); EQ VAS 0–100 (higher is better); ODI = Oswestry "
                + "Disability Index 0–100 (lower is better); SD = standard deviation; CI = confidence interval."
        );
        if (missing.Count > 0)
            b.NotYet($"{string.Join("; ", missing)} (fewer than 2 pairs).");
        if (noP.Count > 0)
            b.NotYet($"p for {string.Join("; ", noP)} (the paired differences do not vary).");

        b.Subsection(ReportHeadings.Responders);
        if (o.Responders.Count == 0)
        {
            b.NotYet("responders need a paired EQ-5D or ODI comparison (fewer than 2 pairs so far).");
            return;
        }
        b.Table(
            [
                new TableColumn(1.6f),
                new TableColumn(1.4f),
                new TableColumn(2.4f),
                new TableColumn(1.6f, CellAlign.Right),
            ],
            ["Outcome", "Follow-up", "Improvement of at least", "Improved, n/N (%)"],
            o.Responders.Select(r =>
                    Row(
                        Outcome(r.Outcome),
                        Wave(r.To),
                        r.Outcome == "odi"
                            ? $"{Number(r.Mcid, 0)} points (decrease)"
                            : $"{Number(r.Mcid, 2)} (increase)",
                        Fraction(r.Improved, r.N, r.Percent)
                    )
                )
                .ToList()
        );
        b.Small(
            $"Thresholds of the minimal clinically important difference: EQ-5D index {Number(context.Eq5dMcid, 2)}, "
                + $"ODI {Number(context.OdiMcid, 0)} points (as the seed paper's discussion)."
        );
    }
}
