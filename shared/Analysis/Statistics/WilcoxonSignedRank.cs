using MathNet.Numerics.Distributions;

namespace PvpServerless.Analysis.Statistics;

/// <summary>Wilcoxon signed-rank test of paired samples, normal approximation.</summary>
public static class WilcoxonSignedRank
{
    /// <summary>
    /// d = followUp − baseline with zero differences dropped (n left); V = sum of the ranks of |d| (average ranks for
    /// ties) where d &gt; 0; z = (V − n(n+1)/4 − ½·sign(V − n(n+1)/4)) / √(n(n+1)(2n+1)/24 − Σ(t³ − t)/48) over tie
    /// groups t; p = 2·min(Φ(z), 1 − Φ(z)).
    /// Reference: <c>wilcox.test(followUp, baseline, paired = TRUE, exact = FALSE, correct = TRUE)</c>.
    /// Null when there is no pair or every difference is 0 (R gives V = 0 and p = NaN).
    /// </summary>
    public static Wilcoxon? Test(ReadOnlySpan<double> followUp, ReadOnlySpan<double> baseline)
    {
        if (followUp.Length != baseline.Length)
            throw new ArgumentException("Paired samples have equal length.", nameof(baseline));
        var d = new List<double>(followUp.Length);
        for (var i = 0; i < followUp.Length; i++)
        {
            var diff = followUp[i] - baseline[i];
            if (diff != 0)
                d.Add(diff);
        }
        if (d.Count == 0)
            return null;

        var n = d.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(d[i])).ToArray();
        double v = 0,
            ties = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && Math.Abs(d[order[end + 1]]) == Math.Abs(d[order[start]]))
                end++;
            var rank = (start + end + 2) / 2.0; // 1-based average rank of the tie group
            double t = end - start + 1;
            ties += t * t * t - t;
            for (var k = start; k <= end; k++)
            {
                if (d[order[k]] > 0)
                    v += rank;
            }
            start = end + 1;
        }

        var z = v - n * (n + 1) / 4.0;
        var sigma = Math.Sqrt(n * (n + 1) * (2.0 * n + 1) / 24 - ties / 48);
        z = (z - Math.Sign(z) * 0.5) / sigma;
        var p = 2 * Math.Min(Normal.CDF(0, 1, z), Normal.CDF(0, 1, -z));
        return new Wilcoxon(v, Math.Min(p, 1));
    }
}
