using MathNet.Numerics;

namespace PvpServerless.Analysis.Statistics;

/// <summary>Pearson's chi-squared test of independence of a two-way table.</summary>
public static class ChiSquaredTest
{
    /// <summary>
    /// X² = Σ (O − E)² / E with E = row total · column total / N, df = (r − 1)(c − 1), p = P(χ²_df ≥ X²).
    /// Reference: <c>chisq.test(m, correct = FALSE)</c>. Columns whose counts are all zero are dropped first (R would
    /// give NaN); null when fewer than two rows or columns remain.
    /// </summary>
    public static ChiSquared? Test(IReadOnlyList<IReadOnlyList<int>> table)
    {
        var rows = table.Where(r => r.Any(v => v != 0)).ToList();
        if (rows.Count < 2)
            return null;
        var width = rows[0].Count;
        if (rows.Any(r => r.Count != width))
            throw new ArgumentException("A table has rows of equal length.", nameof(table));
        var columns = Enumerable.Range(0, width).Where(j => rows.Any(r => r[j] != 0)).ToList();
        if (columns.Count < 2)
            return null;
        if (rows.Any(r => r.Any(v => v < 0)))
            throw new ArgumentException("Counts are not negative.", nameof(table));

        var rowTotals = rows.Select(r => (double)columns.Sum(j => r[j])).ToList();
        var columnTotals = columns.Select(j => (double)rows.Sum(r => r[j])).ToList();
        var total = rowTotals.Sum();
        var statistic = 0.0;
        for (var i = 0; i < rows.Count; i++)
        {
            for (var k = 0; k < columns.Count; k++)
            {
                var expected = rowTotals[i] * columnTotals[k] / total;
                var o = rows[i][columns[k]] - expected;
                statistic += o * o / expected;
            }
        }
        var df = (rows.Count - 1) * (columns.Count - 1);
        // Upper regularised gamma keeps a small p accurate, unlike 1 − CDF.
        var p = SpecialFunctions.GammaUpperRegularized(df / 2.0, statistic / 2.0);
        return new ChiSquared(statistic, df, p);
    }
}
