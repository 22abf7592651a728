using PvpServerless.Analysis;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// Hand-built <see cref="Outcomes"/> for renderer tests: a seed-sized cohort whose Table 1 and Table 2 carry the seed
/// paper's figures, a tiny cohort where most statistics are null, and an empty one. Not computed from a cohort: the
/// renderer only formats what it is given.
/// </summary>
internal static class OutcomesTestData
{
    public const string Hash = "3f9a2c61d0e8b7a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";
    public static readonly DateOnly Cutoff = new(2018, 3, 1);
    public static readonly DateTimeOffset GeneratedAt = new(2018, 3, 2, 2, 15, 0, TimeSpan.Zero);

    private static double Pct(int n, int of) => 100.0 * n / of;

    public static Outcomes Seed()
    {
        var table1 = new Table1(
            Patients: 30,
            Age: new Summary(69.1, 10.4, 48, 86),
            Male: new CountPercent(20, Pct(20, 30)),
            PrimaryMalignancy:
            [
                new("multipleMyeloma", 13, Pct(13, 30)),
                new("lung", 6, Pct(6, 30)),
                new("chronicLymphocyticLeukaemia", 5, Pct(5, 30)),
                new("lymphoma", 2, Pct(2, 30)),
                new("colon", 1, Pct(1, 30)),
                new("gastric", 1, Pct(1, 30)),
                new("ovary", 1, Pct(1, 30)),
                new("prostate", 1, Pct(1, 30)),
            ],
            TreatedLevels: new TreatedLevelCounts(new CountPercent(6, Pct(6, 30)), new CountPercent(24, Pct(24, 30))),
            Vertebrae: 81,
            Regions: [new("thoracic", 37, Pct(37, 81)), new("lumbar", 44, Pct(44, 81))],
            PosteriorWallDefects: new Proportion(24, 81, Pct(24, 81)),
            CementLeakage: new Leakage(12, 81, Pct(12, 81), 7, new Interval(8.6958, 24.1967)),
            SymptomaticComplications: 0,
            Survival: [new SurvivalAt("3m", 23, 30, Pct(23, 30)), new SurvivalAt("1y", 18, 30, Pct(18, 30))]
        );
        Comparison Cmp(
            string outcome,
            string to,
            int n,
            double b,
            double bsd,
            double f,
            double fsd,
            double dsd,
            double p
        )
        {
            var diff = f - b;
            var half = 2.145 * dsd / Math.Sqrt(n);
            return new(
                outcome,
                "baseline",
                to,
                n,
                new MeanSd(b, bsd),
                new MeanSd(f, fsd),
                new Difference(diff, dsd, new Interval(diff - half, diff + half)),
                diff / (dsd / Math.Sqrt(n)),
                n - 1,
                p
            );
        }
        var (deaths, censored) = SeedSurvivalDays();
        return new Outcomes(
            Outcomes.CurrentSchemaVersion,
            Cutoff,
            GeneratedAt,
            "0.1.0+seed",
            Hash,
            new Eq5dInfo("3L", "DK"),
            table1,
            Comparisons:
            [
                Cmp("eq5dIndex", "3m", 15, 0.3213, 0.3612, 0.6187, 0.2241, 0.3480, 0.00514),
                Cmp("eq5dIndex", "1y", 14, 0.3571, 0.3790, 0.6093, 0.3502, 0.3224, 0.01104),
                Cmp("eqVas", "3m", 15, 41.3, 19.6, 57.9, 17.2, 24.8, 0.0213),
                Cmp("eqVas", "1y", 14, 44.6, 21.3, 60.2, 19.9, 27.0, 0.0497),
                Cmp("odi", "3m", 16, 46.2, 18.4, 31.1, 16.9, 21.7, 0.0133),
                Cmp("odi", "1y", 17, 44.118, 19.23, 23.294, 17.31, 24.2, 0.00298),
            ],
            Pain:
            [
                new(
                    "3m",
                    16,
                    [1, 2, 4, 6, 2, 1],
                    [2, 4, 5, 3, 2, 0],
                    3,
                    2,
                    new ChiSquared(3.467, 5, 0.6286),
                    new Wilcoxon(61.5, 0.0412)
                ),
                new(
                    "1y",
                    17,
                    [1, 2, 5, 5, 3, 1],
                    [2, 4, 5, 4, 2, 0],
                    3,
                    2,
                    new ChiSquared(2.648, 5, 0.7538),
                    new Wilcoxon(52.5, 0.0931)
                ),
            ],
            LeakageByWallDefect: new LeakageByWallDefect(
                [
                    [4, 20],
                    [8, 49],
                ],
                0.7429
            ),
            Responders:
            [
                new("eq5dIndex", "3m", 15, 0.12, 10, Pct(10, 15)),
                new("eq5dIndex", "1y", 14, 0.12, 9, Pct(9, 14)),
                new("odi", "3m", 16, 10, 9, Pct(9, 16)),
                new("odi", "1y", 17, 10, 11, Pct(11, 17)),
            ],
            Attrition:
            [
                new("3m", new GroupMean(17, 0.351), new GroupMean(8, 0.214), 0.137, 0.3121),
                new("1y", new GroupMean(16, 0.372), new GroupMean(4, 0.198), 0.174, 0.2804),
            ],
            FollowUp:
            [
                new("baseline", 30, 30, 28, 28 / 30.0),
                new("3m", 30, 25, 17, 17 / 25.0),
                new("1y", 30, 19, 17, 17 / 19.0),
            ],
            KaplanMeier: KaplanMeier(deaths, censored)
        );
    }

    /// <summary>Death days (7 before day 91, 12 by day 365, as Table 1) and censoring days of the living.</summary>
    public static (int[] Deaths, int[] Censored) SeedSurvivalDays() =>
        (
            [12, 25, 38, 50, 61, 77, 88, 120, 151, 199, 260, 333, 402, 515, 690, 842],
            [398, 455, 501, 620, 711, 799, 905, 1010, 1122, 1187, 1260, 1333, 1398, 1456]
        );

    /// <summary>Product-limit steps with log-scale 95 % limits, enough to draw a realistic curve.</summary>
    public static KaplanMeier KaplanMeier(int[] deaths, int[] censored)
    {
        var n = deaths.Length + censored.Length;
        var steps = new List<KaplanMeierStep>();
        double s = 1,
            greenwood = 0;
        foreach (var day in deaths.Distinct().Order())
        {
            var atRisk = deaths.Count(d => d >= day) + censored.Count(c => c >= day);
            var events = deaths.Count(d => d == day);
            s *= 1 - (double)events / atRisk;
            greenwood += (double)events / (atRisk * (atRisk - events));
            var se = Math.Sqrt(greenwood);
            steps.Add(
                new KaplanMeierStep(
                    day,
                    atRisk,
                    events,
                    s,
                    s * Math.Exp(-1.96 * se),
                    Math.Min(1, s * Math.Exp(1.96 * se))
                )
            );
        }
        SurvivalEstimate? At(int day) =>
            steps.LastOrDefault(x => x.Day <= day) is { } st
                ? new SurvivalEstimate(st.Survival, st.Lower, st.Upper)
                : new SurvivalEstimate(1, 1, 1);
        var median = steps.FirstOrDefault(x => x.Survival < 0.5)?.Day;
        return new KaplanMeier(n, deaths.Length, steps, At(91), At(365), median);
    }

    /// <summary>Three patients shortly after the start: one pair for a few outcomes, most statistics null.</summary>
    public static Outcomes Tiny()
    {
        var table1 = new Table1(
            3,
            new Summary(71.3, 6.1, 65, 77),
            new CountPercent(2, Pct(2, 3)),
            [new("multipleMyeloma", 2, Pct(2, 3)), new("lung", 1, Pct(1, 3))],
            new TreatedLevelCounts(new CountPercent(2, Pct(2, 3)), new CountPercent(1, Pct(1, 3))),
            4,
            [new("thoracic", 3, 75), new("lumbar", 1, 25)],
            new Proportion(1, 4, 25),
            new Leakage(0, 2, 0, 0, new Interval(0, 65.76)),
            0,
            [new SurvivalAt("3m", 2, 2, 100), new SurvivalAt("1y", 0, 0, null)]
        );
        return new Outcomes(
            1,
            Cutoff,
            GeneratedAt,
            "0.1.0+tiny",
            Hash,
            new Eq5dInfo("5L", "DK"),
            table1,
            Comparisons:
            [
                new(
                    "eq5dIndex",
                    "baseline",
                    "3m",
                    2,
                    new MeanSd(0.41, 0.12),
                    new MeanSd(0.55, 0.12),
                    new Difference(0.14, 0, null),
                    null,
                    1,
                    null
                ),
            ],
            Pain: [new("3m", 1, [0, 0, 0, 1, 0, 0], [0, 0, 0, 1, 0, 0], 3, 3, null, null)],
            LeakageByWallDefect: new LeakageByWallDefect(
                [
                    [0, 1],
                    [0, 1],
                ],
                1
            ),
            Responders: [new("eq5dIndex", "3m", 2, 0.12, 2, 100)],
            Attrition: [new("3m", new GroupMean(2, 0.41), new GroupMean(0, null), null, null)],
            FollowUp: [new("baseline", 3, 3, 3, 1), new("3m", 2, 2, 2, 1)],
            KaplanMeier: new KaplanMeier(3, 0, [], new SurvivalEstimate(1, null, null), null, null)
        );
    }

    /// <summary>No patients: every statistic null, every list empty.</summary>
    public static Outcomes Empty()
    {
        var table1 = new Table1(
            0,
            new Summary(null, null, null, null),
            new CountPercent(0, null),
            [],
            new TreatedLevelCounts(new CountPercent(0, null), new CountPercent(0, null)),
            0,
            [],
            new Proportion(0, 0, null),
            new Leakage(0, 0, null, 0, null),
            0,
            []
        );
        return new Outcomes(
            1,
            Cutoff,
            GeneratedAt,
            "0.1.0+empty",
            Hash,
            new Eq5dInfo("3L", "DK"),
            table1,
            [],
            [],
            new LeakageByWallDefect(
                [
                    [0, 0],
                    [0, 0],
                ],
                null
            ),
            [],
            [],
            [],
            new KaplanMeier(0, 0, [], null, null, null)
        );
    }
}
