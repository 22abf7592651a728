using System.Globalization;
using System.Text.Json.Nodes;
using PvpServerless.Analysis;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Reports;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// Renderer input made by the real analysis from real cohorts: the reference cohorts of Analysis/Reference, whose
/// outcomes R computed (expected/, written by make-reference.R), and the seed cohort without its patients. The report
/// tests compare the PDF with R's figures, never with what our analysis returned.
/// </summary>
internal static class OutcomesTestData
{
    public static readonly DateTimeOffset GeneratedAt = new(2018, 3, 2, 2, 15, 0, TimeSpan.Zero);
    public const string Version = "0.1.0+reference";

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Analysis", "Reference");

    public static CohortDocument ReferenceCohort(string name) =>
        CohortJson.Read(File.ReadAllBytes(Path.Combine(Folder, "cohorts", name + ".json")));

    /// <summary>R's outcomes.json for a reference cohort.</summary>
    public static JsonNode R(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected", name + ".json")))!;

    /// <summary>No patients yet: the seed cohort's settings and cut-off, an empty list.</summary>
    public static CohortDocument Empty => SeedCohort.Build() with { Patients = [] };

    public static Outcomes Analyse(CohortDocument cohort) =>
        OutcomeAnalysis.Analyse(
            cohort,
            AnalysisOptions.Default,
            new Provenance(GeneratedAt, Version, CohortJson.Sha256(cohort))
        );

    public static ReportContext Context(CohortDocument cohort) =>
        new(CensoredDays: ReportContext.CensoredDaysOf(cohort));

    /// <summary>
    /// An R figure as docs/outcomes.md says the PDF prints it: rounded half away from zero, zero without a sign, a
    /// missing value as an en dash. Written here from that rule, apart from the renderer's own formatting.
    /// </summary>
    public static string Printed(JsonNode? value, int decimals)
    {
        if (value is null)
            return "–";
        var rounded = Math.Round(value.GetValue<double>(), decimals, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>A p-value as printed: three decimals, or "&lt; 0.001".</summary>
    public static string PrintedP(JsonNode? p) =>
        p is null ? "–"
        : p.GetValue<double>() < 0.001 ? "< 0.001"
        : Printed(p, 3);
}
