using System.Text.RegularExpressions;

namespace PvpServerless.Email;

/// <summary>
/// Text from SendGrid or a receiving mail server (error messages, bounce reasons) before we keep or log it: such text
/// often quotes the recipient's address, which must never reach our logs or tables.
/// </summary>
internal static partial class ProviderText
{
    public const int MaxLength = 500;

    public static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "";
        var redacted = Address().Replace(text, "[address]");
        var oneLine = string.Join(' ', redacted.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxLength ? oneLine : oneLine[..MaxLength] + "…";
    }

    [GeneratedRegex(
        @"[^\s<>()\[\]""',;:]+@[^\s<>()\[\]""',;:]+",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking
    )]
    private static partial Regex Address();
}
