using PvpServerless.Analysis;
using PvpServerless.Reports.Charts;

namespace PvpServerless.Reports.Sections;

/// <summary>EQ-5D and ODI means with 95 % CI over time, and the pain item as stacked bars.</summary>
internal static class FiguresSection
{
    public static void Add(ReportBuilder b, Outcomes o)
    {
        b.Section(ReportHeadings.Figures);
        b.Small(
            "Means with 95 % confidence intervals (t distribution) of the patients in each paired "
                + "comparison of Table 2.",
            2,
            keepWithNext: true
        );
        if (MeansChart.HasData(o.Comparisons, "eq5dIndex"))
            b.Figure(
                MeansChart.Block(o.Comparisons, "eq5dIndex", "EQ-5D index", b.Measurer, 200),
                "Figure 1. EQ-5D index over time"
            );
        else
            b.NotYet("Figure 1, EQ-5D index over time (fewer than 2 pairs).");
        if (MeansChart.HasData(o.Comparisons, "odi"))
            b.Figure(
                MeansChart.Block(o.Comparisons, "odi", "ODI (0–100)", b.Measurer, 200),
                "Figure 2. Oswestry Disability Index over time"
            );
        else
            b.NotYet("Figure 2, ODI over time (fewer than 2 pairs).");
        if (o.Pain.Count > 0)
            b.Figure(PainBars.Block(o.Pain, b.Measurer, 190), "Figure 3. Pain (ODI item 1) at baseline and follow-up");
        else
            b.NotYet("Figure 3, pain distribution (no pairs of pain answers).");
    }
}
