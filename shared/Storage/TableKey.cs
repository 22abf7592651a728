using System.Globalization;
using System.Text;

namespace PvpServerless.Storage;

/// <summary>
/// Makes any string safe as a PartitionKey or RowKey. Table Storage forbids '/', '\', '#', '?' and control
/// characters in keys; each of those (and the escape character '~' itself) becomes '~' and two hex digits.
/// Ordinary study ids, dates and codes pass unchanged, so keys stay readable in Storage Explorer.
/// </summary>
public static class TableKey
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
            return value;
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
                sb.Append('~').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    public static string Unescape(string key)
    {
        if (!key.Contains('~', StringComparison.Ordinal))
            return key;
        var sb = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (
                key[i] == '~'
                && i + 2 < key.Length
                && int.TryParse(
                    key.AsSpan(i + 1, 2),
                    NumberStyles.HexNumber,
                    CultureInfo.InvariantCulture,
                    out var code
                )
            )
            {
                sb.Append((char)code);
                i += 2;
            }
            else
            {
                sb.Append(key[i]);
            }
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '~' || char.IsControl(c);

    /// <summary>An OData string literal for a filter: single quotes doubled.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
