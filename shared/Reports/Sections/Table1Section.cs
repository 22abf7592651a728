using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using static PvpServerless.Reports.ReportFormat;
using static PvpServerless.Reports.Sections.ReportBuilder;

namespace PvpServerless.Reports.Sections;

/// <summary>Table 1 as the seed paper prints it: "Male, n (%)  20 (66.7)", "3 mo.s  23/30 (76.7)".</summary>
internal static class Table1Section
{
    public static void Add(ReportBuilder b, Outcomes o)
    {
        var t = o.Table1;
        b.Section(ReportHeadings.Table1);
        var rows = new List<TableRow>
        {
            Row("Patients, total, n", t.Patients.ToString()),
            Row(
                "Age, mean (range), yrs",
                t.Age.Mean is null
                    ? Missing
                    : $"{Number(t.Age.Mean, 1)} ({Number(t.Age.Min, 0)}–{Number(t.Age.Max, 0)})"
            ),
            Row("Age, SD, yrs", Number(t.Age.Sd, 1)),
            Row("Male, n (%)", CountPercent(t.Male.N, t.Male.Percent)),
            Group("Primary malignancy, n (%)", ""),
        };
        rows.AddRange(
            t.PrimaryMalignancy.Count == 0
                ? [Indented("None recorded yet", Missing)]
                : t.PrimaryMalignancy.Select(p => Indented(Malignancy(p.Code), CountPercent(p.N, p.Percent)))
        );
        rows.Add(Group("Treated levels, n (%)", ""));
        rows.Add(Indented("Single", CountPercent(t.TreatedLevels.Single.N, t.TreatedLevels.Single.Percent)));
        rows.Add(Indented("Multiple", CountPercent(t.TreatedLevels.Multiple.N, t.TreatedLevels.Multiple.Percent)));
        rows.Add(Group("Treated spine region, n (%)", ""));
        rows.AddRange(t.Regions.Select(r => Indented(Words(r.Region), CountPercent(r.N, r.Percent))));
        rows.Add(Indented("Total", CountPercent(t.Vertebrae, t.Vertebrae > 0 ? 100.0 : null)));
        rows.Add(
            Row(
                "Posterior wall defects, n/N (%)",
                Fraction(t.PosteriorWallDefects.N, t.PosteriorWallDefects.Of, t.PosteriorWallDefects.Percent)
            )
        );
        rows.Add(
            Row("Cement leakage, n/N (%)", Fraction(t.CementLeakage.N, t.CementLeakage.Of, t.CementLeakage.Percent))
        );
        rows.Add(Row("Symptomatic complications", t.SymptomaticComplications.ToString()));
        rows.Add(Group("Survival, n/N (%)", ""));
        rows.AddRange(
            t.Survival.Select(s => Indented(PaperTimepoint(s.Timepoint), Fraction(s.Alive, s.Of, s.Percent)))
        );
        b.Table([new TableColumn(3), new TableColumn(1.2f, CellAlign.Right)], null, rows, widthFraction: 0.72f);
        b.Small(
            "Percentages of patients, except treated spine region, posterior wall defects and cement leakage (of "
                + "treated vertebrae; leakage of vertebrae assessed on the three-month X-ray). Survival: alive of the "
                + "patients who had reached day 91 (3 mo.s) or day 365 (1 yr) by the cut-off."
        );
        if (t.Patients == 0)
            b.NotYet("no patients in the cohort, so Table 1 has no figures yet.");
        else if (t.CementLeakage.Of < t.Vertebrae)
            b.Small(
                $"Cement leakage not yet assessed in {t.Vertebrae - t.CementLeakage.Of} of {t.Vertebrae} vertebrae."
            );
    }
}
