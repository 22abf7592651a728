using PvpServerless.Cohort;

namespace PvpServerless.Patients;

/// <summary>
/// A complication as the patient record keeps it: with the day it became known, so that a report for an earlier
/// cut-off leaves it out (docs/storage.md, "Facts and their dates"). Complications given at enrolment are known on
/// the procedure day.
/// </summary>
public sealed record RecordedComplication(string Type, bool Symptomatic, DateOnly KnownOn)
{
    public Complication ToComplication() => new(Type, Symptomatic);
}

/// <summary>One X-ray leakage assessment: the day of the X-ray and what it showed at each level it covered.</summary>
public sealed record LeakageAssessment(DateOnly AssessedOn, IReadOnlyList<LevelLeakage> Levels);

public sealed record LevelLeakage(string Level, bool CementLeakage, bool LeakageSymptomatic);

/// <summary>Limits on what one request may carry: clinical sizes with room to spare, far below storage limits.</summary>
public static class ClinicalLimits
{
    /// <summary>Treated levels in one session; multi-level PVP rarely exceeds six.</summary>
    public const int MaxLevels = 12;

    /// <summary>Complications given at enrolment.</summary>
    public const int MaxComplications = 20;

    /// <summary>Complications over a patient's whole record (enrolment and events).</summary>
    public const int MaxRecordedComplications = 100;

    /// <summary>Leakage assessments kept per patient (re-reads of X-rays included).</summary>
    public const int MaxLeakageAssessments = 20;

    /// <summary>Codes such as complication types.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>
    /// The levels as known on <paramref name="day"/>: the enrolment's levels with each assessment up to that day
    /// applied in date order (assessments of one day in the order they were recorded).
    /// </summary>
    public static IReadOnlyList<TreatedLevel> LevelsKnownOn(
        IReadOnlyList<TreatedLevel> enrolled,
        IReadOnlyList<LeakageAssessment> assessments,
        DateOnly day
    )
    {
        var levels = enrolled.ToDictionary(
            l => l.Level,
            l => l with { CementLeakage = null, LeakageSymptomatic = false }
        );
        foreach (var a in assessments.Where(a => a.AssessedOn <= day).OrderBy(a => a.AssessedOn))
        {
            foreach (var l in a.Levels.Where(l => levels.ContainsKey(l.Level)))
            {
                levels[l.Level] = levels[l.Level] with
                {
                    CementLeakage = l.CementLeakage,
                    LeakageSymptomatic = l.LeakageSymptomatic,
                };
            }
        }
        return enrolled.Select(l => levels[l.Level]).ToList();
    }
}
