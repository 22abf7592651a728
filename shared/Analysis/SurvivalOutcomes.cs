using PvpServerless.Analysis.Statistics;

namespace PvpServerless.Analysis;

/// <summary>Overall survival from the procedure: Kaplan–Meier, censored at the cut-off.</summary>
internal static class SurvivalOutcomes
{
    public static KaplanMeier KaplanMeier(IReadOnlyList<PatientScores> scores, DateOnly cutoff)
    {
        var observations = scores
            .Select(s =>
                s.DeathDay is { } d
                    ? ((double)d, true)
                    : ((double)(cutoff.DayNumber - s.Patient.ProcedureDate.DayNumber), false)
            )
            .ToList();
        var fit = KaplanMeierEstimator.Fit(observations);
        SurvivalEstimate? At(int day) =>
            fit.At(day) is { } p ? new SurvivalEstimate(p.Survival, p.Lower, p.Upper) : null;
        return new KaplanMeier(
            fit.N,
            fit.Events,
            fit.Steps.Select(s => new KaplanMeierStep((int)s.Time, s.AtRisk, s.Events, s.Survival, s.Lower, s.Upper))
                .ToList(),
            At(91),
            At(365),
            fit.Median()
        );
    }
}
