using System.Text;

namespace PvpServerless.Web;

/// <summary>A posted HTML form (<c>application/x-www-form-urlencoded</c>) with a fixed set of fields.</summary>
public static class UrlEncodedForm
{
    public const string MediaType = "application/x-www-form-urlencoded";

    /// <summary>
    /// The fields of <paramref name="body"/>; false when it is not such a form, is not UTF-8, repeats a field or has
    /// one not in <paramref name="allowed"/> (only our own page posts here, so anything else is not ours).
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body,
        string? contentType,
        IReadOnlyCollection<string> allowed,
        out IReadOnlyDictionary<string, string> fields
    )
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        fields = found;
        if (!IsForm(contentType))
            return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (name is null || value is null || !allowed.Contains(name) || !found.TryAdd(name, value))
                return false;
        }
        return true;
    }

    /// <summary>Whether <paramref name="contentType"/> names a form (any parameters, such as a charset).</summary>
    public static bool IsForm(string? contentType)
    {
        if (contentType is null)
            return false;
        var media = contentType.Split(';')[0].Trim();
        return string.Equals(media, MediaType, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// Whether a browser's <c>Origin</c> and <c>Sec-Fetch-Site</c> headers say a post comes from our own site.
/// </summary>
public static class Origins
{
    /// <summary>
    /// True when <c>Origin</c> names the origin the request came to or the public address (a proxy may change the
    /// host), or is absent (older browsers); false for any other site. <c>Origin: null</c> is what browsers send for
    /// a form posted from a page with <c>Referrer-Policy: no-referrer</c> — ours — but also from sandboxed frames, so
    /// it passes only with <c>Sec-Fetch-Site: same-origin</c>. A <c>Sec-Fetch-Site</c> naming another site (or
    /// <c>same-site</c>: another host of the same domain) refuses the post whatever <c>Origin</c> says.
    /// </summary>
    public static bool IsOwn(string? originHeader, string? fetchSite, Uri requestUrl, Uri? publicBaseUrl)
    {
        if (fetchSite is not (null or "" or "same-origin" or "none"))
            return false;
        if (string.IsNullOrEmpty(originHeader))
            return true;
        if (originHeader == "null")
            return fetchSite == "same-origin";
        if (!Uri.TryCreate(originHeader, UriKind.Absolute, out var origin) || origin.AbsolutePath != "/")
            return false;
        return SameOrigin(origin, requestUrl) || (publicBaseUrl is not null && SameOrigin(origin, publicBaseUrl));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
