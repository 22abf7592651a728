namespace PvpServerless.Analysis.Statistics;

/// <summary>Sample mean, standard deviation and median, computed as R computes them.</summary>
public static class Descriptive
{
    /// <summary>
    /// Arithmetic mean Σx / n, refined by the mean of the residuals as R's <c>mean(x)</c> does; null for no values.
    /// </summary>
    public static double? Mean(ReadOnlySpan<double> x)
    {
        if (x.Length == 0)
            return null;
        var m = Sum(x) / x.Length;
        var r = 0.0;
        foreach (var v in x)
            r += v - m;
        return m + r / x.Length;
    }

    /// <summary>
    /// Sample variance Σ(x − x̄)² / (n − 1), two-pass like R's <c>var(x)</c>; null for fewer than two values.
    /// </summary>
    public static double? Variance(ReadOnlySpan<double> x)
    {
        if (x.Length < 2 || Mean(x) is not { } m)
            return null;
        var ss = 0.0;
        foreach (var v in x)
            ss += (v - m) * (v - m);
        return ss / (x.Length - 1);
    }

    /// <summary>Sample standard deviation with n − 1, R's <c>sd(x)</c>; null for fewer than two values.</summary>
    public static double? Sd(ReadOnlySpan<double> x) => Variance(x) is { } v ? Math.Sqrt(v) : null;

    /// <summary>
    /// R's <c>median(x)</c>: the middle value, or the mean of the two middle values; null for no values.
    /// </summary>
    public static double? Median(ReadOnlySpan<double> x)
    {
        if (x.Length == 0)
            return null;
        var sorted = x.ToArray();
        Array.Sort(sorted);
        var half = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }

    /// <summary>A double that is NaN or infinite becomes null: the contract never carries NaN.</summary>
    public static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private static double Sum(ReadOnlySpan<double> x)
    {
        var s = 0.0;
        foreach (var v in x)
            s += v;
        return s;
    }
}
