using PvpServerless.Analysis;
using PvpServerless.Reports.Charts;
using PvpServerless.Reports.Layout;
using static PvpServerless.Reports.ReportFormat;
using static PvpServerless.Reports.Sections.ReportBuilder;

namespace PvpServerless.Reports.Sections;

/// <summary>Kaplan–Meier curve, estimates at 3 months and 1 year, median, and the crude survival of Table 1.</summary>
internal static class SurvivalSection
{
    public static void Add(ReportBuilder b, Outcomes o, ReportContext context)
    {
        var km = o.KaplanMeier;
        b.Section(ReportHeadings.Survival);
        if (km.N == 0)
        {
            b.NotYet("survival (no patients).");
            return;
        }
        b.Text(
            $"{Count(km.N, "patient")}, {Count(km.Events, "death")} by the cut-off {Date(o.CutoffDate)}. Time counts "
                + "from the vertebroplasty; patients alive at the cut-off are censored there.",
            keepWithNext: true
        );
        b.Figure(
            SurvivalChart.Block(km, context.CensoredDays, b.Measurer, context.CensoredDays is null ? 210 : 240),
            "Kaplan–Meier survival with 95 % confidence band"
        );
        if (context.CensoredDays is null)
            b.Small("Numbers at risk and censoring marks are not shown: censoring days were not supplied.");
        else if (context.CensoredDays.Count == 0)
            b.Small("Numbers at risk are the patients still observed at each time. No patient is censored.");
        else if (SurvivalChart.ShowsCensorMarks(context.CensoredDays))
            b.Small(
                "Vertical ticks mark censored patients. Numbers at risk are the patients still observed at each time."
            );
        else
            b.Small(
                "Numbers at risk are the patients still observed at each time. Censoring is not marked on the curve: "
                    + $"{Count(context.CensoredDays.Count, "patient")} censored on more than "
                    + $"{SurvivalChart.MaxCensorMarks} different days."
            );

        var rows = new List<TableRow>();
        foreach (var (code, estimate) in new[] { ("3m", km.At3m), ("1y", km.At1y) })
        {
            var crude = o.Table1.Survival.FirstOrDefault(s => s.Timepoint == code);
            rows.Add(
                Row(
                    Wave(code),
                    estimate is { } e ? Percent(100 * e.Survival) : Missing,
                    estimate is { Lower: { } lo, Upper: { } hi } ? Interval(100 * lo, 100 * hi, 1) : Missing,
                    crude is null ? Missing : Fraction(crude.Alive, crude.Of, crude.Percent)
                )
            );
        }
        b.Table(
            [
                new TableColumn(1.2f),
                new TableColumn(1.3f, CellAlign.Right),
                new TableColumn(1.3f, CellAlign.Right),
                new TableColumn(1.8f, CellAlign.Right),
            ],
            ["Time point", "Kaplan–Meier, %", "95 % CI (%)", "Alive of reached, n/N (%)"],
            rows
        );
        b.Text(
            km.MedianDays is { } median
                ? $"Median survival: {Number(median, 0)} days ({Number(median / (365.25 / 12), 1)} months)."
                : "Median survival: not reached (survival has not fallen below 50 %)."
        );
        if (km.At3m is null)
            b.NotYet("Kaplan–Meier estimate at 3 months (no patient observed that long).");
        if (km.At1y is null)
            b.NotYet("Kaplan–Meier estimate at 1 year (no patient observed that long).");
    }
}
