namespace PvpServerless.Analysis;

// The outcomes.json contract of docs/outcomes.md, one record per object. Serialised with camelCase names;
// a statistic that cannot be computed is null (never NaN, never left out). Doubles are full precision.

public sealed record Outcomes(
    int SchemaVersion,
    DateOnly CutoffDate,
    DateTimeOffset GeneratedAt,
    string SoftwareVersion,
    string InputSha256,
    Eq5dInfo Eq5d,
    Table1 Table1,
    IReadOnlyList<Comparison> Comparisons,
    IReadOnlyList<PainComparison> Pain,
    LeakageByWallDefect LeakageByWallDefect,
    IReadOnlyList<Responders> Responders,
    IReadOnlyList<Attrition> Attrition,
    IReadOnlyList<FollowUpRate> FollowUp,
    KaplanMeier KaplanMeier
)
{
    public const int CurrentSchemaVersion = 1;
}

public sealed record Eq5dInfo(string Version, string ValueSet);

public sealed record Table1(
    int Patients,
    Summary Age,
    CountPercent Male,
    IReadOnlyList<MalignancyCount> PrimaryMalignancy,
    TreatedLevelCounts TreatedLevels,
    int Vertebrae,
    IReadOnlyList<RegionCount> Regions,
    Proportion PosteriorWallDefects,
    Leakage CementLeakage,
    int SymptomaticComplications,
    IReadOnlyList<SurvivalAt> Survival
);

public sealed record Summary(double? Mean, double? Sd, double? Min, double? Max);

public sealed record CountPercent(int N, double? Percent);

public sealed record MalignancyCount(string Code, int N, double? Percent);

public sealed record TreatedLevelCounts(CountPercent Single, CountPercent Multiple);

public sealed record RegionCount(string Region, int N, double? Percent);

public sealed record Proportion(int N, int Of, double? Percent);

public sealed record Leakage(int N, int Of, double? Percent, int Patients, Interval? Ci95);

public sealed record Interval(double Lower, double Upper);

public sealed record SurvivalAt(string Timepoint, int Alive, int Of, double? Percent);

public sealed record MeanSd(double? Mean, double? Sd);

public sealed record Difference(double? Mean, double? Sd, Interval? Ci95);

public sealed record Comparison(
    string Outcome,
    string From,
    string To,
    int N,
    MeanSd Baseline,
    MeanSd FollowUp,
    Difference Difference,
    double? T,
    double? Df,
    double? P
);

public sealed record PainComparison(
    string To,
    int N,
    IReadOnlyList<int> BaselineCounts,
    IReadOnlyList<int> FollowUpCounts,
    double? BaselineMedian,
    double? FollowUpMedian,
    ChiSquared? ChiSquared,
    Wilcoxon? Wilcoxon
);

public sealed record ChiSquared(double Statistic, int Df, double P);

public sealed record Wilcoxon(double Statistic, double P);

/// <param name="Table">[[defect &amp; leak, defect &amp; no leak], [no defect &amp; leak, no defect &amp; no leak]].</param>
public sealed record LeakageByWallDefect(IReadOnlyList<IReadOnlyList<int>> Table, double? FisherP);

public sealed record Responders(string Outcome, string To, int N, double Mcid, int Improved, double? Percent);

public sealed record Attrition(string To, GroupMean Responders, GroupMean NonResponders, double? Difference, double? P);

public sealed record GroupMean(int N, double? Mean);

public sealed record FollowUpRate(string Wave, int Due, int Eligible, int Responded, double? Rate);

public sealed record KaplanMeier(
    int N,
    int Events,
    IReadOnlyList<KaplanMeierStep> Steps,
    SurvivalEstimate? At3m,
    SurvivalEstimate? At1y,
    double? MedianDays
);

public sealed record KaplanMeierStep(int Day, int AtRisk, int Events, double Survival, double? Lower, double? Upper);

public sealed record SurvivalEstimate(double Survival, double? Lower, double? Upper);
