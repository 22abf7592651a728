using System.Reflection;
using PvpServerless.Cohort;

namespace PvpServerless.Analysis;

/// <summary>Settings of the outcome analysis.</summary>
/// <param name="Eq5dMcid">Minimal clinically important improvement of the EQ-5D index (0.12, as the seed paper
/// cites).</param>
/// <param name="OdiMcid">Minimal clinically important fall of the ODI score, in points (10).</param>
public sealed record AnalysisOptions(double Eq5dMcid = 0.12, double OdiMcid = 10)
{
    public static AnalysisOptions Default { get; } = new();
}

/// <summary>Where an outcomes.json came from: when, by which build, from which input.</summary>
public sealed record Provenance(DateTimeOffset GeneratedAt, string SoftwareVersion, string InputSha256)
{
    /// <summary>
    /// Provenance of an analysis of <paramref name="cohort"/> now, by this build of the core library.
    /// </summary>
    public static Provenance For(CohortDocument cohort, TimeProvider clock) =>
        new(clock.GetUtcNow(), SoftwareVersionOf(typeof(Provenance).Assembly), CohortJson.Sha256(cohort));

    /// <summary>The informational version of an assembly (e.g. 0.1.0+abc123), or its version.</summary>
    public static string SoftwareVersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
