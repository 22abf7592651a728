using PvpServerless.Cohort;

namespace PvpServerless.Reports;

/// <summary>
/// What the report needs beyond <see cref="Analysis.Outcomes"/> (which already carries cut-off, software version,
/// input hash and generation time).
/// </summary>
/// <param name="Eq5dMcid">EQ-5D index responder threshold used by the analysis (methods section; default 0.12).</param>
/// <param name="OdiMcid">ODI responder threshold, in points (default 10).</param>
/// <param name="CensoredDays">
/// Observed days of the censored patients (cut-off day, counted from the procedure), for the numbers at risk under the
/// survival curve and its censoring marks; null leaves both out. <see cref="CensoredDaysOf"/> derives it from a cohort.
/// </param>
/// <param name="SignificanceLevel">The p-value threshold named in the methods (0.05, as in the seed paper).</param>
public sealed record ReportContext(
    double Eq5dMcid = 0.12,
    double OdiMcid = 10,
    IReadOnlyList<int>? CensoredDays = null,
    double SignificanceLevel = 0.05
)
{
    public string Title { get; init; } = "Vertebroplasty for malignant vertebral compression fractures";

    /// <summary>
    /// Day of censoring of every patient alive at the cut-off (no death on or before it), as the Kaplan–Meier
    /// analysis defines it: cut-off day counted from the procedure date.
    /// </summary>
    public static IReadOnlyList<int> CensoredDaysOf(CohortDocument cohort) =>
        cohort
            .Patients.Where(p => p.DeathDate is not { } death || death > cohort.CutoffDate)
            .Select(p => cohort.CutoffDate.DayNumber - p.ProcedureDate.DayNumber)
            .Order()
            .ToList();
}
