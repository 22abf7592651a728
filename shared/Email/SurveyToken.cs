using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PvpServerless.Email;

/// <summary>
/// The secret in a survey link: 256 random bits as URL-safe base64 without padding (43 characters). Only its
/// <see cref="Hash"/> is ever stored; the text exists in the e-mail and in the link the patient opens.
/// </summary>
public sealed class SurveyToken
{
    public const int Length = 43;

    // 43 base64 characters carry 258 bits: the last one holds 4 data bits and two zero bits, so only these 16 of
    // the 64 characters can end a canonical token. Anything else is a token we never issued.
    private const string CanonicalLastCharacters = "AEIMQUYcgkosw048";

    private SurveyToken(string value)
    {
        Value = value;
        Hash = HashOf(value);
    }

    /// <summary>The token text, as it appears in the link. Never log or store it.</summary>
    public string Value { get; }

    /// <summary>Lower-case hex SHA-256 of the token text (its ASCII bytes): the only form that is stored.</summary>
    public string Hash { get; }

    public static SurveyToken New()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return new SurveyToken(Base64Url.EncodeToString(bytes));
    }

    /// <summary>
    /// The token of one wave: HMAC-SHA256 of the wave's random nonce under the server's secret key. Reminders carry
    /// the same link because the server can derive it again; storage holds only the nonce and the token's hash, so a
    /// copy of the tables alone opens no survey (docs/follow-up.md, "Links").
    /// </summary>
    public static SurveyToken Derive(ReadOnlySpan<byte> key, string nonce)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(nonce), mac);
        return new SurveyToken(Base64Url.EncodeToString(mac));
    }

    /// <summary>
    /// Reads a token from a URL segment: exactly 43 characters of A–Z a–z 0–9 '-' '_', canonical last character.
    /// Anything else (padding, '+', '/', whitespace, another length) is refused before it is hashed or looked up.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SurveyToken? token)
    {
        token = null;
        if (text is not { Length: Length } || !text.All(IsAlphabet) || !CanonicalLastCharacters.Contains(text[^1]))
            return false;
        token = new SurveyToken(text);
        return true;
    }

    /// <summary>Keeps the secret out of log lines and exception messages by accident.</summary>
    public override string ToString() => $"SurveyToken(sha256 {Hash[..8]}…)";

    private static string HashOf(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(value)));

    private static bool IsAlphabet(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
