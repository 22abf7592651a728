namespace PvpServerless.Analysis.Statistics;

internal static class RConstants
{
    /// <summary>R's <c>.Machine$double.eps</c> = 2⁻⁵².</summary>
    public const double DoubleEps = 2.220446049250313e-16;

    /// <summary>
    /// R's <c>sqrt(.Machine$double.eps)</c>, the tolerance of <c>all.equal</c> and of survival's median.
    /// </summary>
    public static readonly double SqrtDoubleEps = Math.Sqrt(DoubleEps);
}
