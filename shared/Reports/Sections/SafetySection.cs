using PvpServerless.Analysis;
using PvpServerless.Reports.Charts;
using PvpServerless.Reports.Layout;
using static PvpServerless.Reports.ReportFormat;
using static PvpServerless.Reports.Sections.ReportBuilder;

namespace PvpServerless.Reports.Sections;

/// <summary>
/// Cement leakage per vertebra and per patient, posterior wall defects against leakage, complications.
/// </summary>
internal static class SafetySection
{
    public static void Add(ReportBuilder b, Outcomes o)
    {
        var t = o.Table1;
        var leak = t.CementLeakage;
        b.Section(ReportHeadings.Safety);
        var perPatient = ReportStatistics.WilsonPercent95(leak.Patients, t.Patients);
        b.Table(
            [new TableColumn(2.6f), new TableColumn(1.1f, CellAlign.Right), new TableColumn(1.2f, CellAlign.Right)],
            ["", "n/N (%)", "95 % CI (%)"],
            [
                Row(
                    "Cement leakage, per treated vertebra assessed",
                    Fraction(leak.N, leak.Of, leak.Percent),
                    leak.Ci95 is { } ci ? Interval(ci.Lower, ci.Upper, 1) : Missing
                ),
                Row(
                    "Patients with at least one leakage",
                    Fraction(leak.Patients, t.Patients, t.Patients > 0 ? 100.0 * leak.Patients / t.Patients : null),
                    perPatient is { } pp ? Interval(pp.Lower, pp.Upper, 1) : Missing
                ),
                Row(
                    "Posterior wall defects, per treated vertebra",
                    Fraction(t.PosteriorWallDefects.N, t.PosteriorWallDefects.Of, t.PosteriorWallDefects.Percent),
                    ""
                ),
                Row(
                    "Symptomatic complications (incl. symptomatic leakage), n",
                    t.SymptomaticComplications.ToString(),
                    ""
                ),
            ]
        );
        b.Small(
            "95 % CI: Wilson score interval. Leakage is assessed on the three-month X-ray; vertebrae not yet assessed "
                + "are left out."
        );
        if (leak.Of == 0)
            b.NotYet("leakage rate (no vertebra assessed yet).");

        b.Subsection("Posterior wall defects and cement leakage");
        var table = o.LeakageByWallDefect.Table;
        if (table.Count < 2 || table.Sum(r => r.Sum()) == 0)
        {
            b.NotYet("the relation of posterior wall defects to leakage (no assessed vertebrae).");
            return;
        }
        int a = table[0][0],
            bb = table[0][1],
            c = table[1][0],
            d = table[1][1];
        b.Table(
            [
                new TableColumn(2.2f),
                new TableColumn(1f, CellAlign.Right),
                new TableColumn(1f, CellAlign.Right),
                new TableColumn(1f, CellAlign.Right),
            ],
            ["Vertebrae assessed", "Leakage", "No leakage", "Total"],
            [
                Row("Posterior wall defect", a.ToString(), bb.ToString(), (a + bb).ToString()),
                Row("No posterior wall defect", c.ToString(), d.ToString(), (c + d).ToString()),
                Row("Total", (a + c).ToString(), (bb + d).ToString(), (a + bb + c + d).ToString()),
            ]
        );
        b.Text(
            o.LeakageByWallDefect.FisherP is { } p
                ? $"Fisher's exact test (two-sided): {PText(p)}."
                : $"{ReportHeadings.NotYetComputable} Fisher's exact test."
        );
    }
}
