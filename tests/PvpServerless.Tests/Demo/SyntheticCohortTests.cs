using PvpServerless.Analysis;
using PvpServerless.Cohort;
using PvpServerless.Demo;

namespace PvpServerless.Tests.Demo;

public class SyntheticCohortTests
{
    [Fact]
    public void Is_deterministic_valid_and_analysable()
    {
        var a = CohortJson.Serialize(SyntheticCohort.Build(500, seed: 42));
        Assert.Equal(a, CohortJson.Serialize(SyntheticCohort.Build(500, seed: 42)));
        Assert.NotEqual(a, CohortJson.Serialize(SyntheticCohort.Build(500, seed: 43)));

        var cohort = CohortJson.Read(a); // passes every rule of the loader
        var outcomes = OutcomeAnalysis.Analyse(
            cohort,
            AnalysisOptions.Default,
            new Provenance(DateTimeOffset.UnixEpoch, "test", "-")
        );
        Assert.Equal(500, outcomes.Table1.Patients);
        Assert.Equal(6, outcomes.Comparisons.Count);
        Assert.NotNull(outcomes.KaplanMeier.MedianDays);
        Assert.All(outcomes.Comparisons, c => Assert.True(c.Difference.Mean > 0 == (c.Outcome != "odi")));
    }

    [Fact]
    public void Takes_a_5L_value_set() =>
        Assert.Equal(
            "5L",
            CohortJson
                .Read(CohortJson.Serialize(SyntheticCohort.Build(50, 3, eq5dVersion: "5L", valueSet: "ENG")))
                .Eq5d.Version
        );
}
