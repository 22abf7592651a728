using PvpServerless.Analysis.Statistics;
using PvpServerless.Domain;

namespace PvpServerless.Analysis;

/// <summary>
/// Baseline-to-follow-up comparisons: paired t-tests, responders above the MCID, and the ODI pain item.
/// </summary>
internal static class PairedOutcomes
{
    private static readonly Outcome[] Compared = [Outcome.Eq5dIndex, Outcome.EqVas, Outcome.Odi];

    /// <summary>Baseline and follow-up values of the patients who have a scored outcome at both.</summary>
    public static (double[] Baseline, double[] FollowUp) Pairs(
        IReadOnlyList<PatientScores> scores,
        Outcome outcome,
        Wave to
    )
    {
        var baseline = new List<double>();
        var followUp = new List<double>();
        foreach (var s in scores)
        {
            if (s.Baseline.Of(outcome) is { } b && s.At(to).Of(outcome) is { } f)
            {
                baseline.Add(b);
                followUp.Add(f);
            }
        }
        return (baseline.ToArray(), followUp.ToArray());
    }

    public static List<Comparison> Comparisons(IReadOnlyList<PatientScores> scores)
    {
        var rows = new List<Comparison>();
        foreach (var outcome in Compared)
        {
            foreach (var to in Waves.FollowUps)
            {
                var (baseline, followUp) = Pairs(scores, outcome, to);
                if (PairedTTest.Test(followUp, baseline) is not { } test)
                    continue; // fewer than two pairs
                var differences = followUp.Zip(baseline, (f, b) => f - b).ToArray();
                rows.Add(
                    new Comparison(
                        outcome.Code(),
                        Wave.Baseline.Code(),
                        to.Code(),
                        baseline.Length,
                        new MeanSd(Descriptive.Mean(baseline), Descriptive.Sd(baseline)),
                        new MeanSd(Descriptive.Mean(followUp), Descriptive.Sd(followUp)),
                        new Difference(test.Estimate, Descriptive.Sd(differences), test.Ci95),
                        test.T,
                        test.Df,
                        test.P
                    )
                );
            }
        }
        return rows;
    }

    /// <summary>
    /// Per comparison of the EQ-5D index and the ODI: the patients whose change (rounded to 6 decimals, so 0.62 − 0.50
    /// counts as 0.12) reaches the MCID: EQ-5D change ≥ mcid, ODI change ≤ −mcid.
    /// </summary>
    public static List<Responders> Responders(
        IReadOnlyList<PatientScores> scores,
        IReadOnlyList<Comparison> comparisons,
        AnalysisOptions options
    )
    {
        var rows = new List<Responders>();
        foreach (var c in comparisons)
        {
            if (c.Outcome == Outcome.EqVas.Code())
                continue;
            var outcome = c.Outcome == Outcome.Odi.Code() ? Outcome.Odi : Outcome.Eq5dIndex;
            var mcid = outcome == Outcome.Odi ? options.OdiMcid : options.Eq5dMcid;
            Waves.TryParse(c.To, out var to);
            var (baseline, followUp) = Pairs(scores, outcome, to);
            var improved = 0;
            for (var i = 0; i < baseline.Length; i++)
            {
                var change = Math.Round(followUp[i] - baseline[i], 6, MidpointRounding.ToEven);
                if (outcome == Outcome.Eq5dIndex ? change >= mcid : change <= -mcid)
                    improved++;
            }
            rows.Add(
                new Responders(
                    c.Outcome,
                    c.To,
                    baseline.Length,
                    mcid,
                    improved,
                    Table1Builder.Percent(improved, baseline.Length)
                )
            );
        }
        return rows;
    }

    /// <summary>
    /// The pain item (ODI section 1, 0–5) at baseline and each follow-up wave with at least one pair.
    /// </summary>
    public static List<PainComparison> Pain(IReadOnlyList<PatientScores> scores)
    {
        var rows = new List<PainComparison>();
        foreach (var to in Waves.FollowUps)
        {
            var pairs = scores
                .Where(s => s.Baseline?.Pain is not null && s.At(to)?.Pain is not null)
                .Select(s => (Baseline: s.Baseline!.Pain!.Value, FollowUp: s.At(to)!.Pain!.Value))
                .ToList();
            if (pairs.Count == 0)
                continue;
            var baselineCounts = new int[6];
            var followUpCounts = new int[6];
            foreach (var (b, f) in pairs)
            {
                baselineCounts[b]++;
                followUpCounts[f]++;
            }
            var baseline = pairs.Select(p => (double)p.Baseline).ToArray();
            var followUp = pairs.Select(p => (double)p.FollowUp).ToArray();
            rows.Add(
                new PainComparison(
                    to.Code(),
                    pairs.Count,
                    baselineCounts,
                    followUpCounts,
                    Descriptive.Median(baseline),
                    Descriptive.Median(followUp),
                    ChiSquaredTest.Test([baselineCounts, followUpCounts]),
                    WilcoxonSignedRank.Test(followUp, baseline)
                )
            );
        }
        return rows;
    }
}
