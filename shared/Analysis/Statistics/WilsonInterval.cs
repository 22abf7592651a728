using MathNet.Numerics.Distributions;

namespace PvpServerless.Analysis.Statistics;

/// <summary>Wilson score interval of a binomial proportion, without continuity correction.</summary>
public static class WilsonInterval
{
    /// <summary>
    /// With p̂ = x/n, z = qnorm(0.975) and c = z²/(2n): (p̂ + c ± z·√(p̂(1−p̂)/n + c/(2n))) / (1 + 2c); the lower bound
    /// is 0 when p̂ = 0 and the upper 1 when p̂ = 1. Reference: <c>prop.test(x, n, correct = FALSE)$conf.int</c>.
    /// Null when n = 0 (R refuses it).
    /// </summary>
    public static Interval? Compute(int x, int n, double confidence = 0.95)
    {
        if (n <= 0)
            return null;
        if (x < 0 || x > n)
            throw new ArgumentOutOfRangeException(nameof(x), "0 ≤ x ≤ n.");
        var p = (double)x / n;
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var z22n = z * z / (2.0 * n);
        var spread = z * Math.Sqrt(p * (1 - p) / n + z22n / (2.0 * n));
        var upper = p >= 1 ? 1 : (p + z22n + spread) / (1 + 2 * z22n);
        var lower = p <= 0 ? 0 : (p + z22n - spread) / (1 + 2 * z22n);
        return new Interval(Math.Max(lower, 0), Math.Min(upper, 1));
    }
}
