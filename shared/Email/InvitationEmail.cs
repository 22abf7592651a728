using System.Text;
using PvpServerless.Domain;

namespace PvpServerless.Email;

/// <summary>
/// Renders an invitation or reminder as plain text and as simple HTML (large type, inline CSS only, every value
/// HTML-encoded). Pure: same input, same output.
/// </summary>
public static class InvitationEmail
{
    private const string Body =
        "margin:0 auto;padding:24px 16px;max-width:640px;font-family:Arial,Helvetica,sans-serif;"
        + "font-size:20px;line-height:1.5;color:#1a1a1a;background:#ffffff;";
    private const string Paragraph = "margin:0 0 20px 0;";
    private const string Small = "margin:0 0 20px 0;font-size:18px;";
    private const string Button =
        "display:inline-block;padding:16px 28px;background:#0b5394;color:#ffffff;font-size:22px;"
        + "font-weight:bold;text-decoration:none;border-radius:6px;";
    private const string Link = "color:#0b5394;text-decoration:underline;word-break:break-all;";

    public static RenderedEmail Render(InvitationContent content, ClinicDetails clinic)
    {
        RequireWebLink(content.SurveyLink, nameof(content.SurveyLink));
        RequireWebLink(content.OptOutLink, nameof(content.OptOutLink));
        var clean = new ClinicDetails(OneLine(clinic.Name), OneLine(clinic.Phone), OneLine(clinic.ContactEmail));
        var w = InvitationWording.For(content, clean);
        return new RenderedEmail(
            w.Subject,
            Text(w, content),
            Html(w, content),
            [content.SurveyLink, content.OptOutLink]
        );
    }

    private static string Text(InvitationWording w, InvitationContent c)
    {
        var sb = new StringBuilder();
        void Para(string text) => sb.Append(text).Append("\n\n");
        Para(w.Greeting);
        foreach (var line in w.Opening)
            Para(line);
        Para(w.Button + ":\n" + c.SurveyLink.AbsoluteUri);
        Para(w.Closes);
        Para(w.Voluntary);
        if (w.Help is not null)
            Para(w.Help);
        Para(w.SomeoneElse);
        Para(w.OptOut + "\n" + c.OptOutLink.AbsoluteUri);
        sb.Append(w.Regards).Append('\n').Append(w.Clinic).Append('\n');
        return sb.ToString();
    }

    private static string Html(InvitationWording w, InvitationContent c)
    {
        var survey = Encode(c.SurveyLink.AbsoluteUri);
        var optOut = Encode(c.OptOutLink.AbsoluteUri);
        var sb = new StringBuilder();
        void Para(string style, string html) => sb.Append($"<p style=\"{style}\">{html}</p>\n");
        var lang = c.Language == Language.Da ? "da" : "en";
        sb.Append($"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<title>{Encode(w.Subject)}</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:0;background:#ffffff;\">\n")
            .Append($"<div style=\"{Body}\">\n");
        Para(Paragraph, Encode(w.Greeting));
        foreach (var line in w.Opening)
            Para(Paragraph, Encode(line));
        Para("margin:28px 0;", $"<a href=\"{survey}\" style=\"{Button}\">{Encode(w.Button)}</a>");
        Para(Small, $"{Encode(w.LinkFallback)}<br>\n<a href=\"{survey}\" style=\"{Link}\">{survey}</a>");
        Para(Paragraph, $"<strong>{Encode(w.Closes)}</strong>");
        Para(Paragraph, Encode(w.Voluntary));
        if (w.Help is not null)
            Para(Paragraph, Encode(w.Help));
        Para(Paragraph, Encode(w.SomeoneElse));
        Para(Small, $"{Encode(w.OptOut)}<br>\n<a href=\"{optOut}\" style=\"{Link}\">{optOut}</a>");
        Para(Paragraph, $"{Encode(w.Regards)}<br>\n{Encode(w.Clinic)}");
        sb.Append("</div>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// Escapes the five characters that matter in HTML text and quoted attributes; UTF-8 stays readable.
    /// </summary>
    internal static string Encode(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            _ = ch switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&#39;"),
                _ => sb.Append(ch),
            };
        }
        return sb.ToString();
    }

    // A setting with a line break must not break a subject line or a paragraph.
    private static string OneLine(string text) =>
        string.Join(
            ' ',
            new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Split(
                (char[]?)null,
                StringSplitOptions.RemoveEmptyEntries
            )
        );

    private static void RequireWebLink(Uri link, string name)
    {
        if (!link.IsAbsoluteUri || link.Scheme is not ("https" or "http"))
            throw new ArgumentException("A link in an e-mail must be an absolute http or https URL.", name);
    }
}
