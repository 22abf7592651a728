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
    /// Nothing from another origin and nothing inline (styles and any script only from our own files), no frames,
    /// forms post only to us, no base URL, no referrer (the URL holds the token), never cached (docs/survey.md).
    /// Under no-referrer a browser posts our own forms with <c>Origin: null</c>: Origins lets that through only with
    /// <c>Sec-Fetch-Site: same-origin</c>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SecurityHeaders = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] =
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'",
        ["Referrer-Policy"] = "no-referrer",
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
            // Named, so that the browser does not ask for /favicon.ico outside the app and log a failed load.
            .Append("\">\n<link rel=\"icon\" href=\"")
            .Append(Encode(stylesheet[..(stylesheet.LastIndexOf('/') + 1)] + PageStyle.IconName))
            .Append("\">\n</head>\n<body>\n<main>\n")
            .Append(bodyHtml)
            .Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }
}

/// <summary>
/// The one stylesheet of the patient pages: 20 px type, contrast of at least 4.5:1 (text #0b0c0c, secondary #505a5f,
/// errors #b3261e on white), targets at least 44 px high, a yellow-and-black focus ring, one column that fits 360 px.
/// </summary>
public static class PageStyle
{
    public const string ContentType = "text/css; charset=utf-8";

    /// <summary>The pages' icon, beside the stylesheet: a plain blue disc.</summary>
    public const string IconName = "icon.svg";

    public const string IconContentType = "image/svg+xml";

    public const string Icon =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
        + "<circle cx=\"8\" cy=\"8\" r=\"7\" fill=\"#0b4f9c\"/></svg>";

    public const string Css = """
        html { font-size: 125%; }
        body { margin: 0; background: #ffffff; color: #0b0c0c; font-family: system-ui, -apple-system, "Segoe UI",
            Roboto, Arial, sans-serif; line-height: 1.5; }
        main { max-width: 38rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
        h2 { font-size: 1.3rem; line-height: 1.3; margin: 2rem 0 0.75rem; }
        p { margin: 0 0 1rem; }
        form { margin: 0 0 1.5rem; }
        a { color: #0b4f9c; }
        a:focus { outline: 3px solid transparent; color: #0b0c0c; background: #ffdd00;
            box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none; }
        button { font: inherit; font-size: 1.1rem; font-weight: 600; color: #ffffff; background: #0b4f9c;
            border: 0; border-radius: 0.4rem; padding: 0.8rem 1.4rem; min-height: 2.75rem; cursor: pointer; }
        button:focus, input:focus { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
        .languages { font-size: 0.9rem; text-align: right; margin-bottom: 0.5rem; }
        .caption { display: block; color: #505a5f; font-size: 0.9rem; font-weight: 400; margin-bottom: 0.25rem; }
        .intro { border-bottom: 1px solid #b1b4b6; margin-bottom: 1.5rem; }
        .part { margin-bottom: 2rem; }
        .item { margin: 0 0 1.75rem; }
        .item-error { border-left: 5px solid #d4351c; padding-left: 0.75rem; }
        fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
        .question { display: block; font-weight: 600; margin-bottom: 0.5rem; }
        .number { color: #505a5f; }
        .optional { font-weight: 400; }
        .hint { color: #505a5f; margin-bottom: 0.5rem; }
        .radio { display: flex; align-items: flex-start; gap: 0.6rem; min-height: 2.75rem; margin-bottom: 0.25rem; }
        .radio input { flex: none; width: 1.75rem; height: 1.75rem; margin: 0.35rem 0 0; accent-color: #0b4f9c;
            cursor: pointer; }
        .radio label { flex: 1; padding: 0.35rem 0; cursor: pointer; }
        input.number { font: inherit; font-size: 1.2rem; width: 5ch; min-height: 2.75rem; padding: 0.25rem 0.5rem;
            border: 2px solid #0b0c0c; border-radius: 0; }
        .item-error input.number { border: 4px solid #d4351c; }
        .error-message { color: #b3261e; font-weight: 600; margin-bottom: 0.5rem; }
        .error-summary { border: 5px solid #d4351c; padding: 1rem; margin-bottom: 1.5rem; }
        .error-summary h2 { margin-top: 0; }
        .error-list { margin: 0; padding-left: 1.25rem; }
        .error-list a { color: #b3261e; font-weight: 600; }
        .other-language { border-top: 1px solid #b1b4b6; margin-top: 1.5rem; padding-top: 0.5rem; }
        .contact { border-top: 1px solid #b1b4b6; margin-top: 2rem; padding-top: 1rem; }
        .visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important;
            margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important;
            white-space: nowrap !important; border: 0 !important; }
        """;
}
