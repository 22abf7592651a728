using System.Text.RegularExpressions;

namespace PvpServerless.Telemetry;

/// <summary>
/// Takes out of log and trace text what must never reach a log store (docs/deploy.md, "Telemetry"): e-mail addresses,
/// secrets and tokens (survey links, function keys, SAS signatures, bearer tokens, connection-string keys), Danish CPR
/// numbers, and, by the name of a structured value, free text and contact data.
/// </summary>
public static partial class LogScrubber
{
    public const string Redacted = "[redacted]";

    /// <summary>Structured values whose name says they hold contact data, a secret or someone's own words.</summary>
    public static bool IsSensitiveName(string name) => SensitiveName().IsMatch(name);

    public static string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        var scrubbed = Email().Replace(text, "[email]");
        scrubbed = Jwt().Replace(scrubbed, "[token]");
        scrubbed = SendGridKey().Replace(scrubbed, "[secret]");
        scrubbed = AuthorizationValue().Replace(scrubbed, "$1 " + Redacted);
        scrubbed = SecretAssignment().Replace(scrubbed, m => m.Groups["name"].Value + m.Groups["sep"].Value + Redacted);
        scrubbed = Cpr().Replace(scrubbed, "[cpr]");
        scrubbed = SurveyPathSegment().Replace(scrubbed, "[token]");
        scrubbed = SurveyTokenShape().Replace(scrubbed, "[token]");
        return OpaqueToken().Replace(scrubbed, m => Guid.TryParseExact(m.Value, "D", out _) ? m.Value : "[token]");
    }

    /// <summary>A structured value as it may be logged: sensitive by name, else its text scrubbed.</summary>
    public static object? ScrubValue(string name, object? value) =>
        value switch
        {
            null => null,
            _ when IsSensitiveName(name) => Redacted,
            string text => Scrub(text),
            // Numbers, dates, booleans, GUIDs, enums cannot carry an address or words. Other structs can: ASP.NET
            // Core logs a request's path as a PathString.
            _ when IsPlain(value.GetType()) => value,
            _ => Scrub(value.ToString() ?? ""),
        };

    private static bool IsPlain(Type type) =>
        type.IsPrimitive
        || type.IsEnum
        || type == typeof(decimal)
        || type == typeof(DateTime)
        || type == typeof(DateTimeOffset)
        || type == typeof(DateOnly)
        || type == typeof(TimeOnly)
        || type == typeof(TimeSpan)
        || type == typeof(Guid);

    [GeneratedRegex(
        @"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Email();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"SG\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex SendGridKey();

    [GeneratedRegex(
        @"\b(Bearer|Basic|SharedKey|SharedKeyLite)\s+[A-Za-z0-9._~+/=:-]+",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase
    )]
    private static partial Regex AuthorizationValue();

    // name=value in query strings and connection strings, "name": "value" in JSON. "code" (a function key) only as
    // code=…, so that a header such as x-ms-error-code: BlobNotFound stays readable.
    [GeneratedRegex(
        """(?<name>(?:(?<![\w-])code(?=\s*=)|\b(?:sig|token|access_token|id_token|refresh_token|apikey|api_key|"""
            + """accountkey|password|pwd|secret|client_secret|sharedaccesssignature|sharedaccesskey|skoid|sktid|"""
            + """x-functions-key))\b"?)(?<sep>\s*[=:]\s*"?)[^&;\s"'<>]+""",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase
    )]
    private static partial Regex SecretAssignment();

    // ddmmyy-nnnn with a real day and month: the Danish personal identity number.
    [GeneratedRegex(
        @"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Cpr();

    // The segment after /survey/ in a URL or route is the patient's key, whatever it looks like (a mistyped or
    // truncated link too); a segment with a dot is a file the pages load (pages.css).
    [GeneratedRegex(@"(?<=/survey/)[^/?#&\s""'<>.]+(?=[/?#&\s""'<>]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SurveyPathSegment();

    // A survey token's own shape (43 base64url characters, docs/follow-up.md "Links") outside a path: one in 1,500
    // tokens has no digit, which the general rule below would let through.
    [GeneratedRegex(@"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])", RegexOptions.CultureInvariant)]
    private static partial Regex SurveyTokenShape();

    // Long random-looking runs (letters and digits mixed, base64url alphabet): survey tokens, keys, hashes.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}={0,2}(?![A-Za-z0-9_-])",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex OpaqueToken();

    [GeneratedRegex(
        "e-?mail|address|recipient|phone|token|secret|password|apikey|accountkey|signature|comment|note|freetext|"
            + "answer|^text$|^body$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase
    )]
    private static partial Regex SensitiveName();
}
