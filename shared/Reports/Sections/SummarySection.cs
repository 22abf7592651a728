using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using static PvpServerless.Reports.ReportFormat;
using static PvpServerless.Reports.Sections.ReportBuilder;

namespace PvpServerless.Reports.Sections;

/// <summary>Page 1: title and the key figures, each with a plain statement when it cannot be computed yet.</summary>
internal static class SummarySection
{
    public static void Add(ReportBuilder b, Outcomes o, ReportContext context)
    {
        var t = o.Table1;
        b.Add(new Heading(context.Title, Styles.Title));
        b.Text(
            $"Outcomes report · data cut-off {Date(o.CutoffDate)} · {Count(t.Patients, "patient")} · "
                + $"EQ-5D-{o.Eq5d.Version}, {o.Eq5d.ValueSet} value set",
            2
        );
        b.Section(ReportHeadings.Summary);

        var rows = new List<TableRow>
        {
            Row(
                "Patients",
                $"{Count(t.Patients, "patient")}, {Count(t.Vertebrae, "treated vertebra", "treated vertebrae")}"
            ),
        };
        foreach (var (outcome, to) in new[] { ("eq5dIndex", "3m"), ("eq5dIndex", "1y"), ("odi", "3m"), ("odi", "1y") })
            rows.Add(
                Row(
                    Lookups.Label(outcome, to),
                    o.Comparison(outcome, to) is { } c
                        ? Lookups.Change(c)
                        : $"{ReportHeadings.NotYetComputable} fewer than 2 pairs"
                )
            );
        foreach (var r in o.Responders)
            rows.Add(
                Row(
                    $"{(r.Outcome == "odi" ? "ODI" : "EQ-5D")} responders at {Wave(r.To)}",
                    $"{Fraction(r.Improved, r.N, r.Percent)} improved by at least "
                        + $"{(r.Outcome == "odi" ? Number(r.Mcid, 0) + " points" : Number(r.Mcid, 2))}"
                )
            );
        var pain = o.Pain("1y") ?? o.Pain("3m");
        rows.Add(
            Row(
                pain is null ? "Pain (ODI item 1)" : $"Pain (ODI item 1) at {Wave(pain.To)}",
                pain is null
                    ? $"{ReportHeadings.NotYetComputable} no pairs of pain answers"
                    : $"median {Number(pain.BaselineMedian, 1)} → {Number(pain.FollowUpMedian, 1)} "
                        + $"(chi-squared {(pain.ChiSquared is { } x ? PText(x.P) : "not computable")}; "
                        + $"Wilcoxon {(pain.Wilcoxon is { } w ? PText(w.P) : "not computable")}; "
                        + $"{Unbroken(Count(pain.N, "pair"))})"
            )
        );
        var leak = t.CementLeakage;
        rows.Add(
            Row(
                "Cement leakage",
                leak.Of == 0
                    ? $"{ReportHeadings.NotYetComputable} no vertebra assessed"
                    : $"{leak.N}/{Count(leak.Of, "vertebra", "vertebrae")} ({Percent(leak.Percent)} %"
                        + (leak.Ci95 is { } ci ? $", 95 % CI {Interval(ci.Lower, ci.Upper, 1)}" : "")
                        + $") in {Count(leak.Patients, "patient")}"
            )
        );
        var assessed = o.LeakageByWallDefect.Table.Sum(r => r.Sum());
        rows.Add(
            Row(
                "Posterior wall defect and leakage",
                assessed > 0 && o.LeakageByWallDefect.FisherP is { } fp
                    ? $"Fisher's exact test {PText(fp)}"
                    : $"{ReportHeadings.NotYetComputable} no assessed vertebrae"
            )
        );
        rows.Add(Row("Symptomatic complications", t.SymptomaticComplications.ToString()));
        var km = o.KaplanMeier;
        rows.Add(
            Row(
                "Survival at 1 year (Kaplan–Meier)",
                km.At1y is { } s1
                    ? SurvivalText(s1)
                    : $"{ReportHeadings.NotYetComputable} no patient observed for 1 year"
            )
        );
        rows.Add(
            Row(
                "Median survival",
                km.N == 0 ? $"{ReportHeadings.NotYetComputable} no patients"
                    : km.MedianDays is { } md ? $"{Number(md, 0)} days"
                    : "not reached"
            )
        );
        foreach (var f in o.FollowUp.Where(f => f.Wave != "baseline"))
            rows.Add(
                Row(
                    $"Answered at {Wave(f.Wave)}",
                    $"{f.Responded} of {f.Eligible} eligible{(f.Rate is { } r ? $" ({Percent(100 * r)} %)" : "")}"
                )
            );
        b.Table([new TableColumn(1.5f), new TableColumn(3.2f)], ["Key figure", "Value"], rows);
        b.Small(
            "Arrows read baseline → follow-up; each comparison uses the patients who answered at both time points. "
                + "p-values: paired t-test for EQ-5D and ODI. Details, definitions and the tests used are in the "
                + "sections that follow."
        );
        b.Small(
            $"Provenance: PvpServerless {o.SoftwareVersion}; cohort document SHA-256 {o.InputSha256}; generated "
                + $"{Timestamp(o.GeneratedAt)}."
        );
        if (t.Patients == 0)
            b.NotYet("every statistic: the cohort has no patients yet.");
        b.PageBreak();
    }

    private static string SurvivalText(SurvivalEstimate e) =>
        $"{Percent(100 * e.Survival)} %"
        + (e is { Lower: { } lo, Upper: { } hi } ? $" (95 % CI {Interval(100 * lo, 100 * hi, 1)})" : "");
}
