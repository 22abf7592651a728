using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PvpServerless.Domain;
using PvpServerless.Web;

namespace PvpServerless.Functions.Http;

/// <summary>Non-JSON answers: a patient page with its security headers, a stylesheet, an e-mail's HTML.</summary>
public static class HtmlAnswers
{
    public static IActionResult Page(HtmlPage page) =>
        new TextResult(page.Status, HtmlPage.ContentType, page.Html, HtmlPage.SecurityHeaders, page.RetryAfter);

    /// <summary>The language asked for by <c>?lang=da</c> or <c>?lang=en</c>; else null: the patient's own.</summary>
    public static Language? RequestedLanguage(HttpRequest request) =>
        request.Query["lang"].ToString() switch
        {
            "da" => Language.Da,
            "en" => Language.En,
            _ => null,
        };

    /// <summary>A request header's value, or null when it is absent or empty.</summary>
    public static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    public static IActionResult Stylesheet() => Static(PageStyle.ContentType, PageStyle.Css);

    public static IActionResult Icon() => Static(PageStyle.IconContentType, PageStyle.Icon);

    public static IActionResult Static(string contentType, string text) =>
        new TextResult(
            StatusCodes.Status200OK,
            contentType,
            text,
            new Dictionary<string, string>
            {
                ["Cache-Control"] = "public, max-age=3600",
                ["X-Content-Type-Options"] = "nosniff",
            },
            null
        );

    /// <summary>
    /// A stored e-mail's HTML for a person to look at: its inline styles may apply, nothing else may load or run.
    /// </summary>
    public static IActionResult Email(string html) =>
        new TextResult(
            StatusCodes.Status200OK,
            HtmlPage.ContentType,
            html,
            new Dictionary<string, string>
            {
                ["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                ["Referrer-Policy"] = "no-referrer",
                ["Cache-Control"] = "no-store",
                ["X-Content-Type-Options"] = "nosniff",
            },
            null
        );

    private sealed class TextResult(
        int status,
        string contentType,
        string text,
        IReadOnlyDictionary<string, string> headers,
        TimeSpan? retryAfter
    ) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            foreach (var (name, value) in headers)
                response.Headers[name] = value;
            if (retryAfter is { } wait)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }
            return response.WriteAsync(text, context.HttpContext.RequestAborted);
        }
    }
}
