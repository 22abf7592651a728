using MathNet.Numerics.Distributions;

namespace PvpServerless.Reports.Charts;

/// <summary>Interval arithmetic the figures need from summary statistics already in outcomes.json.</summary>
public static class ReportStatistics
{
    /// <summary>
    /// 95 % confidence interval of a mean from its summary: mean ± t(0.975, n − 1) · sd / √n.
    /// Reference: R <c>t.test(x)$conf.int</c>. Null when n &lt; 2 or a summary value is missing.
    /// </summary>
    public static (double Lower, double Upper)? MeanCi95(double? mean, double? sd, int n)
    {
        if (mean is not { } m || sd is not { } s || n < 2)
            return null;
        var half = StudentT.InvCDF(0, 1, n - 1, 0.975) * s / Math.Sqrt(n);
        return (m - half, m + half);
    }

    /// <summary>
    /// Wilson score 95 % interval of a proportion x/n, in percent (no continuity correction).
    /// Reference: R <c>100 * prop.test(x, n, correct = FALSE)$conf.int</c>. Null when n = 0.
    /// </summary>
    public static (double Lower, double Upper)? WilsonPercent95(int x, int n)
    {
        if (n <= 0)
            return null;
        var z = Normal.InvCDF(0, 1, 0.975);
        var p = (double)x / n;
        var denominator = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return (100 * Math.Max(0, centre - half), 100 * Math.Min(1, centre + half));
    }
}
