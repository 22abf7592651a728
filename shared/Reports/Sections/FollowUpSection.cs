using PvpServerless.Analysis;
using PvpServerless.Reports.Charts;
using PvpServerless.Reports.Layout;
using static PvpServerless.Reports.ReportFormat;
using static PvpServerless.Reports.Sections.ReportBuilder;

namespace PvpServerless.Reports.Sections;

/// <summary>Response rates per wave, the patient flow diagram and the attrition comparison.</summary>
internal static class FollowUpSection
{
    public static void Add(ReportBuilder b, Outcomes o)
    {
        b.Section(ReportHeadings.FollowUp);
        if (o.FollowUp.Count == 0)
        {
            b.NotYet("follow-up rates (no questionnaire wave is due yet).");
        }
        else
        {
            b.Table(
                [
                    new TableColumn(1.4f),
                    new TableColumn(1f, CellAlign.Right),
                    new TableColumn(1f, CellAlign.Right),
                    new TableColumn(1f, CellAlign.Right),
                    new TableColumn(1f, CellAlign.Right),
                ],
                ["Wave", "Due", "Eligible", "Answered", "Rate (%)"],
                o.FollowUp.Select(f =>
                        Row(
                            Wave(f.Wave),
                            f.Due.ToString(),
                            f.Eligible.ToString(),
                            f.Responded.ToString(),
                            f.Rate is { } r ? Percent(100 * r) : Missing
                        )
                    )
                    .ToList()
            );
            b.Small(
                "Due: the due date (procedure + 3 or 12 months) is on or before the cut-off. Eligible: due, and "
                    + "neither dead nor withdrawn before the due date. Rate = answered / eligible."
            );
            b.Figure(FlowDiagram.Block(o.Table1.Patients, o.FollowUp, b.Measurer), "Patient flow");
        }

        b.Subsection(ReportHeadings.Attrition);
        if (o.Attrition.Count == 0)
        {
            b.NotYet("attrition (no follow-up wave is due for a patient with a baseline EQ-5D index).");
            return;
        }
        b.Table(
            [
                new TableColumn(1.1f),
                new TableColumn(1f, CellAlign.Right),
                new TableColumn(1.3f, CellAlign.Right),
                new TableColumn(1.1f, CellAlign.Right),
                new TableColumn(1.3f, CellAlign.Right),
                new TableColumn(1f, CellAlign.Right),
                new TableColumn(0.7f, CellAlign.Right),
            ],
            [
                "Wave",
                "Answered\n(n)",
                "Baseline EQ-5D\nmean",
                "Not answered\n(n)",
                "Baseline EQ-5D\nmean",
                "Difference",
                "p",
            ],
            o.Attrition.Select(a =>
                    Row(
                        Wave(a.To),
                        a.Responders.N.ToString(),
                        Number(a.Responders.Mean, 2),
                        a.NonResponders.N.ToString(),
                        Number(a.NonResponders.Mean, 2),
                        Number(a.Difference, 2),
                        P(a.P)
                    )
                )
                .ToList()
        );
        b.Small(
            "Mean baseline EQ-5D index of patients who answered the wave against those who did not (Welch's t-test). "
                + "A higher baseline among those who answered would bias the follow-up means upwards, as the seed "
                + "paper warns."
        );
        if (o.Attrition.Any(a => a.P is null))
            b.NotYet("attrition p where a group has fewer than 2 patients.");
    }
}
