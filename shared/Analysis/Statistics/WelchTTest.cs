namespace PvpServerless.Analysis.Statistics;

/// <summary>Welch two-sample t-test (unequal variances).</summary>
public static class WelchTTest
{
    /// <summary>
    /// t = (x̄ − ȳ) / √(s²ₓ/nₓ + s²ᵧ/nᵧ) with Welch–Satterthwaite df = se⁴ / ((s²ₓ/nₓ)²/(nₓ−1) + (s²ᵧ/nᵧ)²/(nᵧ−1)).
    /// Reference: <c>t.test(x, y)</c> (var.equal = FALSE). Null when a group has fewer than two values.
    /// </summary>
    public static TTestResult? Test(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length < 2 || y.Length < 2)
            return null;
        double mx = Descriptive.Mean(x)!.Value,
            my = Descriptive.Mean(y)!.Value;
        double vx = Descriptive.Variance(x)!.Value / x.Length,
            vy = Descriptive.Variance(y)!.Value / y.Length;
        var stderr = Math.Sqrt(vx + vy);
        var df = Math.Pow(stderr, 4) / (vx * vx / (x.Length - 1) + vy * vy / (y.Length - 1));
        return stderr < 10 * RConstants.DoubleEps * Math.Max(Math.Abs(mx), Math.Abs(my))
            ? TTestResult.EssentiallyConstant(mx - my)
            : TTestResult.From(mx - my, stderr, df);
    }
}
