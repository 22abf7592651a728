using PvpServerless.Analysis;

namespace PvpServerless.Reports.Sections;

/// <summary>Finding rows of outcomes.json by outcome and wave, and the fixed order the report walks them in.</summary>
internal static class Lookups
{
    public static readonly IReadOnlyList<string> Outcomes = ["eq5dIndex", "eqVas", "odi"];
    public static readonly IReadOnlyList<string> FollowUps = ["3m", "1y"];

    public static Comparison? Comparison(this Outcomes o, string outcome, string to) =>
        o.Comparisons.FirstOrDefault(c => c.Outcome == outcome && c.To == to);

    public static PainComparison? Pain(this Outcomes o, string to) => o.Pain.FirstOrDefault(p => p.To == to);

    public static FollowUpRate? FollowUp(this Outcomes o, string wave) =>
        o.FollowUp.FirstOrDefault(f => f.Wave == wave);

    /// <summary>"EQ-5D index at 3 months".</summary>
    public static string Label(string outcome, string to) =>
        $"{ReportFormat.Outcome(outcome)} at {ReportFormat.Wave(to)}";

    /// <summary>"0.32 → 0.62 (difference 0.30, 95 % CI 0.12 to 0.48; p = 0.005; 15 pairs)".</summary>
    public static string Change(Comparison c)
    {
        var d = ReportFormat.Decimals(c.Outcome);
        var ci = c.Difference.Ci95 is { } i ? $", 95 % CI {ReportFormat.Interval(i.Lower, i.Upper, d)}" : "";
        return $"{ReportFormat.Number(c.Baseline.Mean, d)} → {ReportFormat.Number(c.FollowUp.Mean, d)} "
            + $"(difference {ReportFormat.Number(c.Difference.Mean, d)}{ci}; {ReportFormat.PText(c.P)}; "
            + $"{ReportFormat.Unbroken(ReportFormat.Count(c.N, "pair"))})";
    }
}
