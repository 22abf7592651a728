namespace PvpServerless.Analysis.Export;

/// <summary>The CSV files of the result sections of outcomes.json, one row per object of the section.</summary>
internal static class ResultTables
{
    private const string Waves = "Follow-up wave: 3m or 1y";

    public static readonly CsvTable<Comparison> Comparisons = new(
        "comparisons.csv",
        "Paired comparisons baseline → follow-up: t.test(followUp, baseline, paired = TRUE)",
        [
            Col.Of<Comparison>("outcome", "string", "eq5dIndex, eqVas or odi", r => r.Outcome),
            Col.Of<Comparison>("from", "string", "Always baseline", r => r.From),
            Col.Of<Comparison>("to", "string", Waves, r => r.To),
            Col.Of<Comparison>("n", "integer", "Pairs: patients scored at baseline and at the wave", r => r.N),
            Col.Of<Comparison>("baselineMean", "number", "Mean at baseline of the pairs", r => r.Baseline.Mean),
            Col.Of<Comparison>("baselineSd", "number", "SD at baseline of the pairs", r => r.Baseline.Sd),
            Col.Of<Comparison>("followUpMean", "number", "Mean at follow-up of the pairs", r => r.FollowUp.Mean),
            Col.Of<Comparison>("followUpSd", "number", "SD at follow-up of the pairs", r => r.FollowUp.Sd),
            Col.Of<Comparison>("differenceMean", "number", "Mean of follow-up − baseline", r => r.Difference.Mean),
            Col.Of<Comparison>("differenceSd", "number", "SD of follow-up − baseline", r => r.Difference.Sd),
            Col.Of<Comparison>(
                "ci95Lower",
                "number",
                "Lower 95 % confidence limit of the mean difference",
                r => r.Difference.Ci95?.Lower
            ),
            Col.Of<Comparison>(
                "ci95Upper",
                "number",
                "Upper 95 % confidence limit of the mean difference",
                r => r.Difference.Ci95?.Upper
            ),
            Col.Of<Comparison>("t", "number", "Paired t statistic (empty when the differences are constant)", r => r.T),
            Col.Of<Comparison>("df", "number", "Degrees of freedom, n − 1", r => r.Df),
            Col.Of<Comparison>("p", "number", "Two-sided p", r => r.P),
        ]
    );

    public static readonly CsvTable<PainComparison> Pain = new(
        "pain.csv",
        "ODI section 1 (pain item) at baseline and follow-up, pairs only; chisq.test(correct = FALSE) and "
            + "wilcox.test(paired, exact = FALSE, correct = TRUE)",
        [
            Col.Of<PainComparison>("to", "string", Waves, r => r.To),
            Col.Of<PainComparison>("n", "integer", "Pairs of pain items", r => r.N),
            .. Enumerable
                .Range(0, 6)
                .Select(k =>
                    Col.Of<PainComparison>(
                        $"baseline{k}",
                        "integer",
                        $"Pairs answering {k} at baseline",
                        r => r.BaselineCounts[k]
                    )
                ),
            .. Enumerable
                .Range(0, 6)
                .Select(k =>
                    Col.Of<PainComparison>(
                        $"followUp{k}",
                        "integer",
                        $"Pairs answering {k} at follow-up",
                        r => r.FollowUpCounts[k]
                    )
                ),
            Col.Of<PainComparison>("baselineMedian", "number", "Median at baseline", r => r.BaselineMedian),
            Col.Of<PainComparison>("followUpMedian", "number", "Median at follow-up", r => r.FollowUpMedian),
            Col.Of<PainComparison>(
                "chiSquared",
                "number",
                "Pearson X² of the 2 × k table without empty categories",
                r => r.ChiSquared?.Statistic
            ),
            Col.Of<PainComparison>("chiSquaredDf", "integer", "Its degrees of freedom", r => r.ChiSquared?.Df),
            Col.Of<PainComparison>("chiSquaredP", "number", "Its p", r => r.ChiSquared?.P),
            Col.Of<PainComparison>(
                "wilcoxonV",
                "number",
                "Wilcoxon signed-rank V (empty when every difference is 0)",
                r => r.Wilcoxon?.Statistic
            ),
            Col.Of<PainComparison>("wilcoxonP", "number", "Its p (normal approximation)", r => r.Wilcoxon?.P),
        ]
    );

    public static readonly CsvTable<(bool Defect, bool Leak, int Vertebrae, double? FisherP)> Leakage = new(
        "leakage.csv",
        "Assessed vertebrae by posterior wall defect and cement leakage; fisher.test of the 2 × 2 table",
        [
            Col.Of<(bool Defect, bool Leak, int Vertebrae, double? FisherP)>(
                "posteriorWallDefect",
                "0/1",
                "Posterior wall defect on MRI",
                r => r.Defect
            ),
            Col.Of<(bool Defect, bool Leak, int Vertebrae, double? FisherP)>(
                "cementLeakage",
                "0/1",
                "Cement leakage on the 3-month X-ray",
                r => r.Leak
            ),
            Col.Of<(bool Defect, bool Leak, int Vertebrae, double? FisherP)>(
                "vertebrae",
                "integer",
                "Vertebrae in this cell",
                r => r.Vertebrae
            ),
            Col.Of<(bool Defect, bool Leak, int Vertebrae, double? FisherP)>(
                "fisherP",
                "number",
                "Two-sided Fisher exact p of the whole table (same on every row)",
                r => r.FisherP
            ),
        ]
    );

    public static IEnumerable<(bool, bool, int, double?)> LeakageRows(LeakageByWallDefect l) =>
        [
            (true, true, l.Table[0][0], l.FisherP),
            (true, false, l.Table[0][1], l.FisherP),
            (false, true, l.Table[1][0], l.FisherP),
            (false, false, l.Table[1][1], l.FisherP),
        ];

    public static readonly CsvTable<Responders> Responders = new(
        "responders.csv",
        "Patients whose change reaches the minimal clinically important difference",
        [
            Col.Of<Responders>(
                "outcome",
                "string",
                "eq5dIndex (improved: change ≥ mcid) or odi (improved: change ≤ −mcid)",
                r => r.Outcome
            ),
            Col.Of<Responders>("to", "string", Waves, r => r.To),
            Col.Of<Responders>("n", "integer", "Pairs", r => r.N),
            Col.Of<Responders>("mcid", "number", "Threshold used", r => r.Mcid),
            Col.Of<Responders>(
                "improved",
                "integer",
                "Pairs improved by at least the threshold (change rounded to 6 decimals)",
                r => r.Improved
            ),
            Col.Of<Responders>("percent", "number", "100 × improved / n", r => r.Percent),
        ]
    );

    public static readonly CsvTable<Attrition> Attrition = new(
        "attrition.csv",
        "Baseline EQ-5D index of patients who reached the due date, by whether they answered the wave; Welch t.test",
        [
            Col.Of<Attrition>("to", "string", Waves, r => r.To),
            Col.Of<Attrition>(
                "respondersN",
                "integer",
                "Patients with a scored EQ-5D index at the wave",
                r => r.Responders.N
            ),
            Col.Of<Attrition>("respondersMean", "number", "Their mean baseline index", r => r.Responders.Mean),
            Col.Of<Attrition>("nonRespondersN", "integer", "Patients without one", r => r.NonResponders.N),
            Col.Of<Attrition>("nonRespondersMean", "number", "Their mean baseline index", r => r.NonResponders.Mean),
            Col.Of<Attrition>("difference", "number", "respondersMean − nonRespondersMean", r => r.Difference),
            Col.Of<Attrition>("p", "number", "Welch two-sided p (empty when a group has fewer than 2)", r => r.P),
        ]
    );

    public static readonly CsvTable<FollowUpRate> FollowUp = new(
        "followup.csv",
        "Questionnaire response rate per wave",
        [
            Col.Of<FollowUpRate>("wave", "string", "baseline, 3m or 1y", r => r.Wave),
            Col.Of<FollowUpRate>(
                "due",
                "integer",
                "Patients whose due date (procedure + 0, 3 or 12 calendar months) is on or before the cut-off",
                r => r.Due
            ),
            Col.Of<FollowUpRate>(
                "eligible",
                "integer",
                "Due, and neither dead nor withdrawn before the due date",
                r => r.Eligible
            ),
            Col.Of<FollowUpRate>("responded", "integer", "Eligible with a response at the wave", r => r.Responded),
            Col.Of<FollowUpRate>("rate", "number", "responded / eligible (a fraction, not percent)", r => r.Rate),
        ]
    );

    public static readonly CsvTable<KaplanMeierStep> KaplanMeierSteps = new(
        "km-steps.csv",
        "Kaplan–Meier survival from the procedure, one row per day with deaths: survfit(Surv(day, dead) ~ 1)",
        [
            Col.Of<KaplanMeierStep>("day", "integer", "Days since the procedure (day 0)", r => r.Day),
            Col.Of<KaplanMeierStep>("atRisk", "integer", "Patients followed up to at least this day", r => r.AtRisk),
            Col.Of<KaplanMeierStep>("events", "integer", "Deaths on this day", r => r.Events),
            Col.Of<KaplanMeierStep>("survival", "number", "Kaplan–Meier survival just after this day", r => r.Survival),
            Col.Of<KaplanMeierStep>(
                "lower",
                "number",
                "Lower 95 % limit (Greenwood, log scale; empty when survival is 0)",
                r => r.Lower
            ),
            Col.Of<KaplanMeierStep>("upper", "number", "Upper 95 % limit (capped at 1)", r => r.Upper),
        ]
    );

    public static readonly CsvTable<KaplanMeier> KaplanMeierSummary = new(
        "km-summary.csv",
        "Kaplan–Meier summary: one row",
        [
            Col.Of<KaplanMeier>("n", "integer", "Patients", r => r.N),
            Col.Of<KaplanMeier>("events", "integer", "Deaths", r => r.Events),
            Col.Of<KaplanMeier>(
                "medianDays",
                "number",
                "Median survival in days as print(survfit) gives it; empty when not reached",
                r => r.MedianDays
            ),
            Col.Of<KaplanMeier>(
                "at3mSurvival",
                "number",
                "Survival at day 91; empty past the last observation",
                r => r.At3m?.Survival
            ),
            Col.Of<KaplanMeier>("at3mLower", "number", "Lower 95 % limit at day 91", r => r.At3m?.Lower),
            Col.Of<KaplanMeier>("at3mUpper", "number", "Upper 95 % limit at day 91", r => r.At3m?.Upper),
            Col.Of<KaplanMeier>(
                "at1ySurvival",
                "number",
                "Survival at day 365; empty past the last observation",
                r => r.At1y?.Survival
            ),
            Col.Of<KaplanMeier>("at1yLower", "number", "Lower 95 % limit at day 365", r => r.At1y?.Lower),
            Col.Of<KaplanMeier>("at1yUpper", "number", "Upper 95 % limit at day 365", r => r.At1y?.Upper),
        ]
    );
}
