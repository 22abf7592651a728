using PvpServerless.Cohort;

namespace PvpServerless.Questionnaires;

/// <summary>
/// The scores of one response, as docs/outcomes.md defines them: EQ-5D index (null unless all five
/// levels are present), EQ VAS as given, ODI percentage (null unless ≥ 8 of 10 sections), pain item (ODI section 1).
/// </summary>
public sealed record ResponseScores(double? Eq5dIndex, int? EqVas, double? Odi, int? Pain)
{
    /// <exception cref="ArgumentOutOfRangeException">A level, the VAS or an ODI section is out of range: validate first.</exception>
    public static ResponseScores Of(Eq5dAnswers? eq5d, IReadOnlyList<int?>? odi, ValueSet valueSet)
    {
        if (eq5d?.Vas is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(eq5d), $"The EQ VAS is 0–100, not {eq5d.Vas}.");
        return new ResponseScores(
            valueSet.Index(eq5d),
            eq5d?.Vas,
            Questionnaires.Odi.Score(odi),
            Questionnaires.Odi.Pain(odi)
        );
    }

    public static ResponseScores Of(WaveResponse response, ValueSet valueSet) =>
        Of(response.Eq5d, response.Odi, valueSet);
}
