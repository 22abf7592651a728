using System.Text.RegularExpressions;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

/// <summary>
/// Study ids: letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64. They are compared
/// without regard to case (<c>p001</c> and <c>P001</c> are one patient): every key is built from
/// <see cref="Key"/>, while the record keeps the id as it was first written.
/// </summary>
public static partial class StudyIds
{
    public const int MaxLength = 64;

    // \z, not $: "$" also matches before a final newline, and "PVP-0044\n" is no study id (seen by the hostile suite).
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    // A Danish CPR number is ddmmyy and four digits, written with or without a separator. Any six digits, one
    // optional separator and four digits anywhere in an id is refused, so no spelling of one gets through.
    [GeneratedRegex(@"(?<![0-9])[0-9]{6}[-._ ]?[0-9]{4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CprShape();

    public static bool IsValid(string? studyId) =>
        studyId is not null && Pattern().IsMatch(studyId) && !CprShape().IsMatch(studyId);

    /// <summary>The case-insensitive key of a valid study id: what partition and row keys are built from.</summary>
    public static string Key(string studyId) => TableKey.Escape(studyId.ToUpperInvariant());

    public static bool SameId(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
