using PvpServerless.Analysis;
using PvpServerless.Cohort;
using PvpServerless.Demo;

namespace PvpServerless.Tests.Demo;

/// <summary>The seed cohort, analysed, reproduces the seed paper's Table 1 and comes close to its Table 2.</summary>
public class SeedCohortTests
{
    private static readonly Outcomes Outcomes = OutcomeAnalysis.Analyse(
        SeedCohort.Build(),
        AnalysisOptions.Default,
        new Provenance(DateTimeOffset.UnixEpoch, "test", "-")
    );

    private static double Round1(double? x) => Math.Round(x!.Value, 1, MidpointRounding.AwayFromZero);

    [Fact]
    public void Reproduces_table_1()
    {
        var t = Outcomes.Table1;
        Assert.Equal(30, t.Patients);
        Assert.Equal(69.1, Round1(t.Age.Mean));
        Assert.Equal((48.0, 86.0), (t.Age.Min!.Value, t.Age.Max!.Value));
        Assert.Equal((20, 66.7), (t.Male.N, Round1(t.Male.Percent)));
        Assert.Equal(
            [
                "multipleMyeloma 13",
                "lung 6",
                "chronicLymphocyticLeukaemia 5",
                "lymphoma 2",
                "colon 1",
                "gastric 1",
                "ovary 1",
                "prostate 1",
            ],
            t.PrimaryMalignancy.Select(m => $"{m.Code} {m.N}")
        );
        Assert.Equal((6, 24), (t.TreatedLevels.Single.N, t.TreatedLevels.Multiple.N));
        Assert.Equal(81, t.Vertebrae);
        Assert.Equal(
            ["thoracic 37 45.7", "lumbar 44 54.3"],
            t.Regions.Select(r => $"{r.Region} {r.N} {Round1(r.Percent):0.0}")
        );
        Assert.Equal(
            (24, 81, 29.6),
            (t.PosteriorWallDefects.N, t.PosteriorWallDefects.Of, Round1(t.PosteriorWallDefects.Percent))
        );
        Assert.Equal(
            (12, 81, 14.8, 7),
            (t.CementLeakage.N, t.CementLeakage.Of, Round1(t.CementLeakage.Percent), t.CementLeakage.Patients)
        );
        Assert.Equal(0, t.SymptomaticComplications);
        Assert.Equal(
            ["3m 23/30 76.7", "1y 18/30 60.0"],
            t.Survival.Select(s => $"{s.Timepoint} {s.Alive}/{s.Of} {Round1(s.Percent):0.0}")
        );
    }

    [Fact]
    public void Has_the_papers_diagnoses_and_the_one_leak_through_a_wall_defect()
    {
        var cohort = SeedCohort.Build();
        Assert.Equal(8, cohort.Patients.Count(p => p.DiagnosisBasis == PvpServerless.Domain.DiagnosisBasis.Mri));
        Assert.Equal(13, cohort.Patients.Count(p => p.Levels.Any(l => l.PosteriorWallDefect)));
        Assert.Equal(1, Outcomes.LeakageByWallDefect.Table[0][0]);
        Assert.All(
            cohort.Patients,
            p => Assert.InRange(p.ProcedureDate, new DateOnly(2013, 1, 1), new DateOnly(2017, 3, 1))
        );
    }

    [Theory]
    [InlineData("eq5dIndex", "3m", 15, 0.32, 0.36, 0.62, 0.22, 0.005)]
    [InlineData("eq5dIndex", "1y", 14, 0.36, 0.38, 0.61, 0.35, 0.011)]
    [InlineData("odi", "1y", 17, 44.1, 19.2, 23.3, 17.3, 0.003)]
    public void Comes_close_to_table_2(
        string outcome,
        string to,
        int n,
        double baseline,
        double baselineSd,
        double followUp,
        double followUpSd,
        double p
    )
    {
        var c = Outcomes.Comparisons.Single(r => r.Outcome == outcome && r.To == to);
        var digits = outcome == "odi" ? 1 : 2;
        double R(double? x) => Math.Round(x!.Value, digits, MidpointRounding.AwayFromZero);
        Assert.Equal(
            (n, baseline, baselineSd, followUp, followUpSd),
            (c.N, R(c.Baseline.Mean), R(c.Baseline.Sd), R(c.FollowUp.Mean), R(c.FollowUp.Sd))
        );
        Assert.Equal(p, Math.Round(c.P!.Value, 3), 3);
    }

    [Fact]
    public void Pain_item_median_falls_from_3_to_2_without_a_significant_chi_squared()
    {
        var pain = Outcomes.Pain.Single(r => r.To == "1y");
        Assert.Equal((17, 3.0, 2.0), (pain.N, pain.BaselineMedian!.Value, pain.FollowUpMedian!.Value));
        Assert.Equal(0.753, Math.Round(pain.ChiSquared!.P, 3), 3);
    }

    [Fact]
    public void Is_a_valid_cohort_document() =>
        Assert.Equal(
            CohortJson.Serialize(SeedCohort.Build()),
            CohortJson.Serialize(CohortJson.Read(CohortJson.Serialize(SeedCohort.Build())))
        );
}
