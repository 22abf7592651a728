using PvpServerless.Cohort;
using PvpServerless.Questionnaires;

namespace PvpServerless.Analysis;

/// <summary>
/// The outcome analysis of docs/outcomes.md: one cohort document in, the outcomes.json records out. Pure:
/// the clock and the input hash arrive in <see cref="Provenance"/>, so the same input always gives the same numbers.
/// </summary>
public static class OutcomeAnalysis
{
    public static Outcomes Analyse(CohortDocument cohort, AnalysisOptions options, Provenance provenance) =>
        Analyse(cohort, Score(cohort), options, provenance);

    /// <summary>The analysis of scores already computed by <see cref="Score(CohortDocument)"/>, which the export files reuse.</summary>
    public static Outcomes Analyse(
        CohortDocument cohort,
        IReadOnlyList<PatientScores> scores,
        AnalysisOptions options,
        Provenance provenance
    )
    {
        var comparisons = PairedOutcomes.Comparisons(scores);
        return new Outcomes(
            Outcomes.CurrentSchemaVersion,
            cohort.CutoffDate,
            provenance.GeneratedAt,
            provenance.SoftwareVersion,
            provenance.InputSha256,
            new Eq5dInfo(cohort.Eq5d.Version, cohort.Eq5d.ValueSet),
            Table1Builder.Build(cohort, scores),
            comparisons,
            PairedOutcomes.Pain(scores),
            LeakageByWallDefect(cohort),
            PairedOutcomes.Responders(scores, comparisons, options),
            FollowUpOutcomes.Attrition(scores, cohort.CutoffDate),
            FollowUpOutcomes.Rates(scores, cohort.CutoffDate),
            SurvivalOutcomes.KaplanMeier(scores, cohort.CutoffDate)
        );
    }

    /// <summary>Every patient with the scores of each wave, under the cohort's own value set.</summary>
    public static IReadOnlyList<PatientScores> Score(CohortDocument cohort) =>
        Score(cohort, ValueSet.Get(cohort.Eq5d.Version, cohort.Eq5d.ValueSet));

    /// <summary>Every patient with the scores of each wave, under the given value set.</summary>
    public static IReadOnlyList<PatientScores> Score(CohortDocument cohort, ValueSet valueSet) =>
        cohort.Patients.Select(p => PatientScores.Score(p, valueSet)).ToList();

    /// <summary>Cement leakage by posterior wall defect over the assessed vertebrae, with Fisher's exact p.</summary>
    private static LeakageByWallDefect LeakageByWallDefect(CohortDocument cohort)
    {
        int[] cells = new int[4];
        foreach (var level in cohort.Patients.SelectMany(p => p.Levels))
        {
            if (level.CementLeakage is not { } leak)
                continue;
            cells[(level.PosteriorWallDefect ? 0 : 2) + (leak ? 0 : 1)]++;
        }
        return new LeakageByWallDefect(
            [
                [cells[0], cells[1]],
                [cells[2], cells[3]],
            ],
            Statistics.FisherExact.TwoSidedP(cells[0], cells[1], cells[2], cells[3])
        );
    }
}
