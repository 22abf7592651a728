using System.Text;
using PvpServerless.Domain;

namespace PvpServerless.Web;

/// <summary>
/// A server-rendered page for patients: its status, its HTML and, for 503, how long to wait. Every page goes out with
/// <see cref="SecurityHeaders"/>; nothing in it runs script or loads anything but our own stylesheet.
/// </summary>
public sealed record HtmlPage(int Status, string Html, TimeSpan? RetryAfter = null)
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>
    /// No script, no frames, forms post only to us, styles only from our own stylesheet (inline styles are refused),
    /// no referrer to any other site (the URL holds the token), never cached (docs/openapi.yaml, "Survey pages").
    /// Not "no-referrer": under it a browser posts our own forms with <c>Origin: null</c>, which the Origin check
    /// must refuse; "same-origin" sends the referrer only to us, who know the token already.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SecurityHeaders = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] =
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ["Referrer-Policy"] = "same-origin",
        ["Cache-Control"] = "no-store",
        ["X-Content-Type-Options"] = "nosniff",
        ["X-Frame-Options"] = "DENY",
    };

    /// <summary>
    /// Escapes <c>&amp; &lt; &gt; " '</c>: safe in text and in quoted attributes. Everything else stays as it is (the
    /// page is UTF-8), so "ø" is readable in the source too.
    /// </summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(
                c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\'' => "&#39;",
                    _ => c.ToString(),
                }
            );
        }
        return sb.ToString();
    }

    /// <summary>
    /// A whole document: <paramref name="bodyHtml"/> must be built from <see cref="Encode"/>d values only.
    /// <paramref name="stylesheet"/> is a URL relative to the page.
    /// </summary>
    public static string Document(Language language, string title, string stylesheet, string bodyHtml)
    {
        var sb = new StringBuilder(1024 + bodyHtml.Length);
        sb.Append("<!doctype html>\n<html lang=\"")
            .Append(language == Language.En ? "en" : "da")
            .Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
            .Append("<title>")
            .Append(Encode(title))
            .Append("</title>\n<link rel=\"stylesheet\" href=\"")
            .Append(Encode(stylesheet))
            .Append("\">\n</head>\n<body>\n<main>\n")
            .Append(bodyHtml)
            .Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }
}

/// <summary>The one stylesheet of the patient pages: large type, high contrast, one narrow column.</summary>
public static class PageStyle
{
    public const string ContentType = "text/css; charset=utf-8";

    public const string Css = """
        html { font-size: 125%; }
        body { margin: 0; background: #ffffff; color: #1a1a1a; font-family: system-ui, -apple-system, "Segoe UI",
            Roboto, Arial, sans-serif; line-height: 1.5; }
        main { max-width: 36rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
        p { margin: 0 0 1rem; }
        form { margin: 0 0 1.5rem; }
        a { color: #0b4f9c; }
        button { font: inherit; font-size: 1.1rem; font-weight: 600; color: #ffffff; background: #0b4f9c;
            border: 0; border-radius: 0.4rem; padding: 0.8rem 1.4rem; cursor: pointer; }
        button:focus, a:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
        .languages { font-size: 0.9rem; text-align: right; margin-bottom: 0.5rem; }
        """;
}
