using System.Text.RegularExpressions;

namespace PvpServerless.Patients;

public static partial class StudyIds
{
    /// <summary>
    /// Letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64: such an id is safe as a
    /// Table Storage key and in a URL path, and cannot carry a name or a CPR number's format by accident.
    /// </summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? studyId) =>
        studyId is not null && Pattern().IsMatch(studyId) && !LooksLikeCpr(studyId);

    // A Danish CPR number (ddmmyy-xxxx or ten digits) must never become a study id.
    private static bool LooksLikeCpr(string id)
    {
        var digits = id.Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 10 && digits.All(char.IsAsciiDigit);
    }
}
