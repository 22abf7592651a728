using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// Hostile strings and their encodings: Table-key-forbidden characters (/ \ # ? and control characters), path
/// traversal plain and encoded, script, filter syntax, odd Unicode, overlong values; written into a URL raw,
/// percent-encoded once or twice, or with invalid UTF-8 bytes.
/// </summary>
public static class HostileText
{
    /// <summary>Each piece makes a value invalid anywhere: no id, code, date, token or number has one.</summary>
    public static readonly string[] Pieces =
    [
        "/",
        "\\",
        "#",
        "?",
        "\u0000",
        "\u0001",
        "\n",
        "\u001f",
        "\u007f",
        "\u0085",
        "\u009f",
        "../",
        "..\\",
        "../../../../etc/passwd",
        "..%2f..%2f",
        "%2e%2e%2f",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' or ''='",
        "PartitionKey ge ''",
        "*",
        "\uFFFE",
        "\U0001F600",
        "\u202E",
        "\u00A0",
        "$",
        "|",
        ";",
        "%",
    ];

    /// <summary>Percent-encoded bytes that are not UTF-8: a stray byte, an overlong slash, a lone surrogate.</summary>
    public static readonly string[] InvalidUtf8Escapes = ["%FF", "%C0%AF", "%ED%A0%80", "%80", "%F8%88%80%80%80"];

    /// <summary>A hostile value made from <paramref name="valid"/> (often the valid one with a piece in it).</summary>
    public static Gen<string> Around(string valid) =>
        Gen.OneOf(
            Gen.Elements(Pieces).Select(p => valid + p),
            Gen.Elements(Pieces).Select(p => p + valid),
            Gen.Elements(Pieces).Select(p => p),
            Gen.Elements(Pieces).Zip(Gen.Choose(0, valid.Length)).Select(t => valid.Insert(t.Item2, t.Item1)),
            Gen.Elements(300, 3000).Zip(Gen.Elements(Pieces)).Select(t => Repeat(valid + t.Item2, t.Item1))
        );

    /// <summary>
    /// The value as it goes into a path segment or query value: percent-encoded (the usual), twice, only its
    /// reserved characters (so / and \ stay raw and traversal reaches the router), or with invalid UTF-8 bytes.
    /// </summary>
    public static Gen<string> Encoded(Gen<string> values) =>
        Gen.OneOf(
            values.Select(Escape),
            values.Select(v => Escape(Escape(v))),
            values.Select(Minimal),
            values
                .Zip(Gen.Elements(InvalidUtf8Escapes))
                .Select(t => Escape(t.Item1) + t.Item2),
            Gen.Elements(InvalidUtf8Escapes)
        );

    public static string Escape(string value)
    {
        // Uri.EscapeDataString refuses lone surrogates; none of the pieces has one, but overlong cuts may split a pair.
        var bytes = new UTF8Encoding(false, false).GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9')
                sb.Append((char)b);
            else if (b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                sb.Append((char)b);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    // Only what would end the segment or the URL, or cannot be sent at all, is escaped; and \, which the client
    // would turn into / (so the server would never see it).
    private static string Minimal(string value)
    {
        // A trailing / or a dot segment the client would remove or the router ignore: no longer the value sent.
        if (value.EndsWith('/') || value.Contains("./", StringComparison.Ordinal) || value.EndsWith('.'))
            return Escape(value);
        var sb = new StringBuilder();
        foreach (var c in value)
        {
            if (c is '#' or '?' or '%' or ' ' or '&' or '\\' || char.IsControl(c) || c > '~')
                sb.Append(Escape(c.ToString()));
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Repeat(string text, int length)
    {
        var sb = new StringBuilder(length + text.Length);
        while (sb.Length < length)
            sb.Append(text);
        return sb.ToString();
    }
}
