using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Questionnaires;

namespace PvpServerless.Analysis;

/// <summary>
/// The scores of one response: EQ-5D index, EQ VAS, ODI score and the ODI pain item; each null when not scored.
/// </summary>
public sealed record WaveScores(
    Wave Wave,
    DateTimeOffset CompletedAt,
    double? Eq5dIndex,
    double? Vas,
    double? Odi,
    int? Pain
);

/// <summary>
/// A patient with the scores of each wave answered, and day numbers counted from the procedure (day 0).
/// </summary>
public sealed record PatientScores(
    CohortPatient Patient,
    WaveScores? Baseline,
    WaveScores? ThreeMonths,
    WaveScores? OneYear
)
{
    public WaveScores? At(Wave wave) =>
        wave switch
        {
            Wave.Baseline => Baseline,
            Wave.ThreeMonths => ThreeMonths,
            Wave.OneYear => OneYear,
            _ => null,
        };

    /// <summary>Day of death from the procedure (day 0), or null when alive.</summary>
    public int? DeathDay => Patient.DeathDate is { } d ? d.DayNumber - Patient.ProcedureDate.DayNumber : null;

    /// <summary>Alive at day t: no death, or death after day t.</summary>
    public bool AliveAt(int day) => DeathDay is not { } d || d > day;

    /// <summary>Reached day t: the cut-off is on or after procedure + t days.</summary>
    public bool Reached(int day, DateOnly cutoff) => cutoff.DayNumber >= Patient.ProcedureDate.DayNumber + day;

    public static PatientScores Score(CohortPatient patient, ValueSet valueSet)
    {
        WaveScores? Of(Wave wave) =>
            patient.Responses.FirstOrDefault(r => r.Wave == wave) is { } r
                ? new WaveScores(
                    wave,
                    r.CompletedAt,
                    valueSet.Index(r.Eq5d),
                    r.Eq5d?.Vas,
                    Odi.Score(r.Odi),
                    Odi.Pain(r.Odi)
                )
                : null;
        return new PatientScores(patient, Of(Wave.Baseline), Of(Wave.ThreeMonths), Of(Wave.OneYear));
    }
}

/// <summary>The three outcomes compared between baseline and follow-up, with their codes in outcomes.json.</summary>
public enum Outcome
{
    Eq5dIndex,
    EqVas,
    Odi,
}

public static class OutcomeCodes
{
    public static string Code(this Outcome outcome) =>
        outcome switch
        {
            Outcome.Eq5dIndex => "eq5dIndex",
            Outcome.EqVas => "eqVas",
            Outcome.Odi => "odi",
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        };

    public static double? Of(this WaveScores? scores, Outcome outcome) =>
        outcome switch
        {
            Outcome.Eq5dIndex => scores?.Eq5dIndex,
            Outcome.EqVas => scores?.Vas,
            Outcome.Odi => scores?.Odi,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        };
}
