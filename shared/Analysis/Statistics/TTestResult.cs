using MathNet.Numerics.Distributions;

namespace PvpServerless.Analysis.Statistics;

/// <summary>
/// A Student t-test: the estimate (mean or difference of means), t, degrees of freedom, two-sided p and the 95 %
/// confidence interval of the estimate. T, Df, P and Ci95 are null where R stops ("data are essentially constant")
/// or returns NaN (e.g. every paired difference 0).
/// </summary>
public sealed record TTestResult(double Estimate, double? T, double? Df, double? P, Interval? Ci95)
{
    internal static TTestResult EssentiallyConstant(double estimate) => new(estimate, null, null, null, null);

    /// <summary>
    /// t, two-sided p = 2·pt(−|t|, df) and estimate ± qt(0.975, df)·se, exactly as <c>t.test</c> forms them.
    /// </summary>
    internal static TTestResult From(double estimate, double stderr, double df)
    {
        var t = estimate / stderr;
        var p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        var q = StudentT.InvCDF(0, 1, df, 0.975);
        double? lower = Descriptive.Finite((t - q) * stderr),
            upper = Descriptive.Finite((t + q) * stderr);
        return new TTestResult(
            estimate,
            Descriptive.Finite(t),
            df,
            double.IsNaN(t) ? null : Descriptive.Finite(p),
            lower is { } l && upper is { } u ? new Interval(l, u) : null
        );
    }
}
