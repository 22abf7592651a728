using MathNet.Numerics.Distributions;

namespace PvpServerless.Analysis.Statistics;

/// <summary>Fisher's exact test of a 2×2 table.</summary>
public static class FisherExact
{
    /// <summary>
    /// Conditional on the margins, a = table[0][0] is hypergeometric (m = first column total, n = second column total,
    /// k = first row total). The two-sided p is the sum of the probabilities of every a' whose probability is not above
    /// the observed one's times 1 + 10⁻⁷ (R's relErr). Reference: <c>fisher.test(table)$p.value</c>.
    /// </summary>
    public static double TwoSidedP(int a, int b, int c, int d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0)
            throw new ArgumentOutOfRangeException(nameof(a), "Counts are not negative.");
        int m = a + c,
            n = b + d,
            k = a + b;
        int lo = Math.Max(0, k - n),
            hi = Math.Min(k, m);
        if (lo == hi)
            return 1; // margins leave a single table (e.g. an empty one): R gives 1
        var logDensity = new double[hi - lo + 1];
        for (var x = lo; x <= hi; x++)
        {
            logDensity[x - lo] = Hypergeometric.PMFLn(m + n, m, k, x);
        }
        // Normalise on the largest term as R's dnhyper does, so tiny probabilities keep their relative precision.
        var max = logDensity.Max();
        var density = logDensity.Select(l => Math.Exp(l - max)).ToArray();
        var sum = density.Sum();
        var observed = density[a - lo] / sum;
        const double relErr = 1 + 1e-7;
        var p = density.Select(x => x / sum).Where(x => x <= observed * relErr).Sum();
        return Math.Min(p, 1);
    }
}
