namespace PvpServerless.Questionnaires;

/// <summary>Oswestry Disability Index 2.1a scoring.</summary>
public static class Odi
{
    public const int Sections = 10;
    public const int MinimumAnswered = 8;

    /// <summary>
    /// 100 · sum / (5 · answered), in percent; null when fewer than 8 of the 10 sections are answered
    /// or the list is not ten sections. Sections hold 0–5, null = skipped.
    /// </summary>
    public static double? Score(IReadOnlyList<int?>? sections)
    {
        if (sections is not { Count: Sections })
            return null;
        int sum = 0,
            answered = 0;
        foreach (var s in sections)
        {
            if (s is not { } v)
                continue;
            if (v is < 0 or > 5)
                throw new ArgumentOutOfRangeException(nameof(sections), $"An ODI section is 0–5, not {v}.");
            sum += v;
            answered++;
        }
        return answered < MinimumAnswered ? null : 100.0 * sum / (5.0 * answered);
    }

    /// <summary>The pain item: section 1 (0–5), or null when skipped or the list is not ten sections.</summary>
    public static int? Pain(IReadOnlyList<int?>? sections) =>
        sections is not { Count: Sections } ? null
        : sections[0] is < 0 or > 5
            ? throw new ArgumentOutOfRangeException(nameof(sections), $"An ODI section is 0–5, not {sections[0]}.")
        : sections[0];
}
