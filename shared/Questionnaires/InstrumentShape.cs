namespace PvpServerless.Questionnaires;

/// <summary>
/// The structure the scoring code relies on: item keys in order and their value ranges. A definition file
/// (ours or a site's licensed wording) may change every text but not this, so it is checked against it.
/// </summary>
internal sealed record InstrumentShape(string Id, string FieldPrefix, IReadOnlyList<ItemShape> Items)
{
    public const string Eq5d3L = "eq5d-3l";
    public const string Eq5d5L = "eq5d-5l";
    public const string Odi = "odi-2.1a";

    /// <summary>
    /// EQ-5D dimension keys, in the order of a health state (MO, SC, UA, PD, AD); they name
    /// <see cref="Cohort.Eq5dAnswers"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> Eq5dDimensions =
    [
        "mobility",
        "selfCare",
        "usualActivities",
        "pain",
        "anxiety",
    ];

    public const string VasKey = "vas";

    public static readonly IReadOnlyList<InstrumentShape> All =
    [
        Eq5d(Eq5d3L, 3),
        Eq5d(Eq5d5L, 5),
        new(
            Odi,
            "odi",
            Enumerable
                .Range(1, PvpServerless.Questionnaires.Odi.Sections)
                .Select(n => new ItemShape(OdiKey(n), 0, 5, Scale: false))
                .ToList()
        ),
    ];

    public static string OdiKey(int section) => $"section{section}";

    private static InstrumentShape Eq5d(string id, int levels) =>
        new(
            id,
            "eq5d",
            [
                .. Eq5dDimensions.Select(k => new ItemShape(k, 1, levels, Scale: false)),
                new ItemShape(VasKey, 0, 100, Scale: true),
            ]
        );
}

internal sealed record ItemShape(string Key, int Min, int Max, bool Scale);
