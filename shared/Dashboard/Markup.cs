using System.Globalization;
using System.Text;
using PvpServerless.Web;

namespace PvpServerless.Dashboard;

/// <summary>
/// What every dashboard page is made of: addresses that keep the language, the frame (who is signed in, the language
/// switch, a notice), and action forms carrying the session's check. Every value goes through
/// <see cref="HtmlPage.Encode"/>.
/// </summary>
public static class Markup
{
    public static string E(string? text) => HtmlPage.Encode(text);

    public static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Percent(double? rate, DashboardText t) =>
        rate is { } r ? (r * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : t.NoneEligible;

    /// <summary><paramref name="path"/> with its query: the given parameters (empty ones left out) and lang.</summary>
    public static string Url(string path, DashboardText t, params (string Name, string? Value)[] query)
    {
        var sb = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in query.Append(("lang", t.Code)))
        {
            if (string.IsNullOrEmpty(value))
                continue;
            sb.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>
    /// A whole page: a header (home link, who is signed in, the other language at <paramref name="otherLanguage"/>),
    /// an optional notice (role=status), <paramref name="body"/> (built from encoded values only).
    /// </summary>
    public static HtmlPage Page(
        int status,
        DashboardText t,
        string title,
        Viewer? viewer,
        string otherLanguage,
        string? notice,
        string body
    )
    {
        var sb = new StringBuilder(body.Length + 1024);
        sb.Append("<header class=\"top\">\n<p class=\"brand\"><a href=\"")
            .Append(E(Url(DashboardRoutes.Root, t)))
            .Append("\">")
            .Append(E(t.Title))
            .Append("</a></p>\n");
        if (viewer is not null)
            sb.Append("<p class=\"who\">").Append(E(t.SignedInAs)).Append(' ').Append(E(viewer.Name)).Append("</p>\n");
        sb.Append("<p class=\"languages\"><a href=\"")
            .Append(E(otherLanguage))
            .Append("\" lang=\"")
            .Append(t.Code == "da" ? "en" : "da")
            .Append("\">")
            .Append(E(t.OtherLanguageName))
            .Append("</a></p>\n</header>\n");
        if (notice is not null)
            sb.Append("<p class=\"notice\" role=\"status\">").Append(E(notice)).Append("</p>\n");
        sb.Append(body);
        var html = HtmlPage.Document(t.Language, title + " – " + t.Title, DashboardRoutes.Stylesheet, sb.ToString());
        return new HtmlPage(status, html);
    }

    /// <summary>
    /// A post to the actions route: the hidden fields (check, action, study id, wave, where to return, language),
    /// then <paramref name="fields"/> and one button. <c>id</c>s inside must be unique on the page.
    /// </summary>
    public static string ActionForm(
        FormContext context,
        string action,
        string studyId,
        string? wave,
        string button,
        string fields = ""
    )
    {
        var sb = new StringBuilder(512);
        sb.Append("<form method=\"post\" action=\"")
            .Append(E(Url(DashboardRoutes.Actions, context.Text)))
            .Append("\" class=\"action\">");
        Hidden(sb, DashboardActions.CheckField, context.Check);
        Hidden(sb, "action", action);
        Hidden(sb, "studyId", studyId);
        if (wave is not null)
            Hidden(sb, "wave", wave);
        Hidden(sb, "return", context.ReturnTo);
        Hidden(sb, "lang", context.Text.Code);
        sb.Append(fields).Append("<button type=\"submit\">").Append(E(button)).Append("</button></form>");
        return sb.ToString();
    }

    /// <summary>A labelled input; <paramref name="id"/> must be unique on the page.</summary>
    public static string Input(string id, string name, string label, string type, string? value, string extra = "") =>
        $"<span class=\"field\"><label for=\"{E(id)}\">{E(label)}</label> <input id=\"{E(id)}\" name=\"{E(name)}\" "
        + $"type=\"{type}\" value=\"{E(value)}\" {extra}></span>";

    private static void Hidden(StringBuilder sb, string name, string value) =>
        sb.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(E(value)).Append("\">");
}

/// <summary>What a page's action forms need: the session's check, the page to come back to, the language.</summary>
public sealed record FormContext(string Check, string ReturnTo, DashboardText Text, DateOnly Today);
