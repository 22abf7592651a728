namespace PvpServerless.Analysis.Statistics;

/// <summary>Paired t-test on follow-up − baseline.</summary>
public static class PairedTTest
{
    /// <summary>
    /// One-sample t-test of the differences d = followUp − baseline against 0: t = d̄ / (s_d / √n), df = n − 1.
    /// Reference: <c>t.test(followUp, baseline, paired = TRUE)</c>. Null for fewer than two pairs.
    /// </summary>
    public static TTestResult? Test(ReadOnlySpan<double> followUp, ReadOnlySpan<double> baseline)
    {
        if (followUp.Length != baseline.Length)
            throw new ArgumentException("Paired samples have equal length.", nameof(baseline));
        if (followUp.Length < 2)
            return null;
        var d = new double[followUp.Length];
        for (var i = 0; i < d.Length; i++)
            d[i] = followUp[i] - baseline[i];
        var mean = Descriptive.Mean(d)!.Value;
        var stderr = Math.Sqrt(Descriptive.Variance(d)!.Value / d.Length);
        // R: if (stderr < 10 * .Machine$double.eps * abs(mx)) stop("data are essentially constant")
        return stderr < 10 * RConstants.DoubleEps * Math.Abs(mean)
            ? TTestResult.EssentiallyConstant(mean)
            : TTestResult.From(mean, stderr, d.Length - 1);
    }
}
