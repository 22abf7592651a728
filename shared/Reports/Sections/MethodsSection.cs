using PvpServerless.Analysis;
using static PvpServerless.Reports.ReportFormat;

namespace PvpServerless.Reports.Sections;

/// <summary>The methods as actually computed for this report: what was tested, with what, and what was not.</summary>
internal static class MethodsSection
{
    public static void Add(ReportBuilder b, Outcomes o, ReportContext context)
    {
        b.Section(ReportHeadings.Methods);
        b.Text(
            $"Data: the de-identified cohort document with data cut-off {Date(o.CutoffDate)} "
                + $"({Count(o.Table1.Patients, "patient")}, "
                + $"{Count(o.Table1.Vertebrae, "treated vertebra", "treated vertebrae")}), SHA-256 {o.InputSha256}. "
                + $"Computed by PvpServerless {o.SoftwareVersion} at {Timestamp(o.GeneratedAt)}; the same figures, in "
                + $"full precision, are in outcomes.json (schema {o.SchemaVersion})."
        );
        b.Text(
            $"Scoring: EQ-5D-{o.Eq5d.Version} index with the {o.Eq5d.ValueSet} value set (additive model), only when "
                + "all five dimensions are answered; EQ VAS as given (0–100); ODI 2.1a as 100 × sum / (5 × answered "
                + "sections), only when at least 8 of 10 sections are answered; pain = ODI section 1 (0–5), as in the "
                + "seed paper."
        );

        var computed = o.Comparisons.Select(c => $"{Lookups.Label(c.Outcome, c.To)} ({NText(c.N)})").ToList();
        b.Text(
            "Paired comparisons: baseline against each follow-up in the patients with a score at both, paired t-test "
                + "(R t.test(paired = TRUE)) with the 95 % CI of the mean difference. "
                + (
                    computed.Count > 0
                        ? $"Computed: {string.Join("; ", computed)}."
                        : "None could be computed yet (fewer than 2 pairs each)."
                )
        );
        b.Text(
            "Pain item: chi-squared test of the baseline and follow-up distributions without continuity correction, as "
                + "the seed paper (R chisq.test(correct = FALSE), empty categories dropped), and the Wilcoxon "
                + "signed-rank test for the paired ordinal answers (R wilcox.test(paired = TRUE, exact = FALSE, "
                + "correct = TRUE)). "
                + (
                    o.Pain.Count > 0
                        ? $"Computed at: {string.Join(", ", o.Pain.Select(p => $"{Wave(p.To)} ({NText(p.N)})"))}."
                        : "Not computed yet."
                )
        );
        b.Text(
            $"Responders: improvement of the EQ-5D index by at least {Number(context.Eq5dMcid, 2)} or of the ODI by at "
                + $"least {Number(context.OdiMcid, 0)} points, the change rounded to 6 decimals first."
        );
        b.Text(
            "Safety: cement leakage per treated vertebra assessed on the three-month X-ray with the Wilson 95 % CI "
                + "(R prop.test(correct = FALSE)); posterior wall defect against leakage by Fisher's exact test "
                + "(two-sided). Symptomatic complications count symptomatic complications and symptomatic leakages."
        );
        b.Text(
            "Survival: Kaplan–Meier from the procedure day to death, censored at the cut-off, with log-transformed "
                + "95 % CIs (R survfit defaults); estimates at day 91 and day 365; median as R prints it. Table 1 "
                + "survival counts patients alive of those who reached the day."
        );
        b.Text(
            "Follow-up and attrition: response rate per wave among eligible patients; baseline EQ-5D index of those "
                + "who answered against those who did not, Welch's t-test."
        );
        b.Text(
            "Rounding as the seed paper: one decimal for percentages, ODI and EQ VAS, two for the EQ-5D index, p to "
                + $"three decimals or < 0.001. A p-value below {Number(context.SignificanceLevel, 2)} is considered "
                + "significant. A statistic that cannot be computed is shown as – and named under its table."
        );
    }
}
