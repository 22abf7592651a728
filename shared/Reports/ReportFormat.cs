using System.Globalization;

namespace PvpServerless.Reports;

/// <summary>
/// Rounding as the seed paper prints it: one decimal for percentages, two for EQ-5D, one for ODI and EQ VAS,
/// p to three decimals or "&lt; 0.001". A missing value prints as an en dash, as in the paper's tables.
/// </summary>
public static class ReportFormat
{
    public const string Missing = "–";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Percent(double? value) => value is { } v ? Fixed(v, 1) : Missing;

    /// <summary>"20 (66.7)".</summary>
    public static string CountPercent(int n, double? percent) => $"{n} ({Percent(percent)})";

    /// <summary>"24/81 (29.6)".</summary>
    public static string Fraction(int n, int of, double? percent) => $"{n}/{of} ({Percent(percent)})";

    /// <summary>Rounded half away from zero; a value that rounds to zero prints without a sign ("0.00", never "-0.00").</summary>
    public static string Number(double? value, int decimals) => value is { } v ? Fixed(v, decimals) : Missing;

    /// <summary>
    /// Half away from zero, after taking the value to 15 significant digits as R prints it: a mean whose exact value
    /// is a tie (−93/20 = −4.65) but whose double came out a few bits short (−4.649999999999999) must print as R's
    /// −4.65 does (−4.7), not flip to −4.6. A zero result has no sign.
    /// </summary>
    private static string Fixed(double v, int decimals)
    {
        if (!(Math.Abs(v) < 1e15)) // beyond any report figure (and decimal's range): plain rounding
            return (Math.Round(v, decimals, MidpointRounding.AwayFromZero) + 0.0).ToString("F" + decimals, Inv);
        var rounded = Math.Round(Convert.ToDecimal(v), decimals, MidpointRounding.AwayFromZero); // 15 digits
        return (rounded == 0 ? 0m : rounded).ToString("F" + decimals, Inv);
    }

    /// <summary>Decimals for an outcome code: EQ-5D index two, EQ VAS and ODI one.</summary>
    public static int Decimals(string outcome) => outcome == "eq5dIndex" ? 2 : 1;

    public static string MeanSd(double? mean, double? sd, int decimals) =>
        mean is null ? Missing
        : sd is null ? Number(mean, decimals)
        : $"{Number(mean, decimals)} ± {Number(sd, decimals)}";

    public static string Interval(double? lower, double? upper, int decimals) =>
        lower is null || upper is null ? Missing : $"{Number(lower, decimals)} to {Number(upper, decimals)}";

    /// <summary>"0.005", "&lt; 0.001".</summary>
    public static string P(double? p) =>
        p switch
        {
            null => Missing,
            < 0.001 => "< 0.001",
            { } v => Fixed(v, 3),
        };

    /// <summary>"p = 0.005" or "p &lt; 0.001" for running text, never broken across lines.</summary>
    public static string PText(double? p) =>
        p is null ? "p not computable" : Unbroken(p < 0.001 ? "p < 0.001" : $"p = {P(p)}");

    /// <summary>"1 patient", "30 patients": a count with its noun in the right number.</summary>
    public static string Count(int n, string singular, string? plural = null) =>
        $"{n} {(n == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>"n = 17", never broken across lines.</summary>
    public static string NText(int n) => Unbroken($"n = {n}");

    /// <summary>A short phrase with no-break spaces, so a wrapped line never ends inside it ("n =" / "17").</summary>
    public static string Unbroken(string phrase) => phrase.Replace(' ', Layout.TextMeasurer.NoBreakSpace);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Inv);

    public static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Inv);

    public static string Outcome(string code) =>
        code switch
        {
            "eq5dIndex" => "EQ-5D index",
            "eqVas" => "EQ VAS",
            "odi" => "ODI",
            _ => code,
        };

    public static string Wave(string code) =>
        code switch
        {
            "baseline" => "Baseline",
            "3m" => "3 months",
            "1y" => "1 year",
            _ => code,
        };

    /// <summary>The paper's Table 1 labels for the survival time points.</summary>
    public static string PaperTimepoint(string code) =>
        code switch
        {
            "3m" => "3 mo.s",
            "1y" => "1 yr",
            _ => code,
        };

    public static string Malignancy(string code) =>
        code switch
        {
            "multipleMyeloma" => "Multiple myeloma",
            "chronicLymphocyticLeukaemia" => "Chronic lymphocytic leukaemia",
            _ => Words(code),
        };

    /// <summary>camelCase code to a sentence-case label: "posteriorWall" → "Posterior wall".</summary>
    public static string Words(string code)
    {
        if (code.Length == 0)
            return code;
        var text = string.Concat(
            code.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString())
        );
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>ODI 2.1a section 1 statements, shortened.</summary>
    public static readonly IReadOnlyList<string> PainCategories =
    [
        "0 No pain",
        "1 Very mild",
        "2 Moderate",
        "3 Fairly severe",
        "4 Very severe",
        "5 Worst imaginable",
    ];
}
