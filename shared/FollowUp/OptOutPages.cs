using System.Text;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Web;

namespace PvpServerless.FollowUp;

/// <summary>
/// The opt-out pages in Danish and English: short, plain, kind, for readers who may be old or ill. No study id, no
/// name, no address; the only values from outside are the clinic's settings, encoded like everything else.
/// </summary>
public sealed class OptOutPages(IOptions<ClinicContactOptions> clinic)
{
    /// <summary>Relative to <c>…/survey/{token}/opt-out</c>: the stylesheet at <c>…/survey/pages.css</c>.</summary>
    public const string Stylesheet = "../pages.css";

    private readonly ClinicDetails _clinic = ClinicDetails.From(clinic.Value);

    public HtmlPage Render(OptOutOutcome outcome)
    {
        var da = outcome.Language == Language.Da;
        return outcome switch
        {
            OptOutOutcome.Confirm { AlreadyOptedOut: false } c => Wrap(200, c.Language, Form(c)),
            OptOutOutcome.Confirm or OptOutOutcome.OptedOut { Already: true } => Page(
                200,
                outcome.Language,
                da ? "Du har allerede sagt fra" : "You have already told us",
                da
                    ? "Du får ikke flere e-mails fra os om spørgeskemaet."
                    : "You will not receive more e-mails from us about the questionnaire.",
                da ? "Det ændrer ikke noget i din behandling." : "It changes nothing in your care."
            ),
            OptOutOutcome.OptedOut => Page(
                200,
                outcome.Language,
                da ? "Tak" : "Thank you",
                da
                    ? "Du får ikke flere e-mails fra os om spørgeskemaet."
                    : "You will not receive more e-mails from us about the questionnaire.",
                da
                    ? "Det ændrer ikke noget i din behandling. Du er altid velkommen til at kontakte os."
                    : "It changes nothing in your care. You are always welcome to contact us."
            ),
            OptOutOutcome.NotFound => Page(
                404,
                outcome.Language,
                da ? "Vi kan ikke finde dette link" : "We cannot find this link",
                da
                    ? "Måske er linket ikke kopieret helt. Prøv at trykke på linket i e-mailen igen."
                    : "Perhaps the link was not copied in full. Please try the link in the e-mail again."
            ),
            OptOutOutcome.Gone => Page(
                410,
                outcome.Language,
                da ? "Dette link er ikke længere i brug" : "This link is no longer in use",
                da
                    ? "Kontakt os, hvis du ikke vil have flere e-mails fra os."
                    : "Please contact us if you would rather not receive more e-mails from us."
            ),
            OptOutOutcome.Forbidden or OptOutOutcome.NotAForm or OptOutOutcome.TooLarge => Page(
                StatusOf(outcome),
                outcome.Language,
                da ? "Det lykkedes ikke" : "That did not work",
                da
                    ? "Åbn linket i e-mailen igen, og tryk på knappen på siden."
                    : "Please open the link in the e-mail again and press the button on the page."
            ),
            OptOutOutcome.Busy => Page(
                503,
                outcome.Language,
                da ? "Prøv igen om lidt" : "Please try again in a moment",
                // The page and its button alike: nothing was changed, nothing is lost by trying again.
                da
                    ? "Vi kan ikke nå vores system lige nu, og intet er ændret. Prøv igen om et øjeblik."
                    : "We cannot reach our system just now, and nothing has been changed. Please try again in a moment."
            ) with
            {
                RetryAfter = Storage.Contention.RetryAfter,
            },
            _ => throw new InvalidOperationException("Unknown opt-out outcome."),
        };
    }

    private static int StatusOf(OptOutOutcome outcome) =>
        outcome switch
        {
            OptOutOutcome.NotAForm => 400,
            OptOutOutcome.TooLarge => 413,
            _ => 403,
        };

    private string Form(OptOutOutcome.Confirm c)
    {
        var da = c.Language == Language.Da;
        var sb = new StringBuilder();
        Heading(sb, da ? "Ingen flere e-mails om spørgeskemaet" : "No more e-mails about the questionnaire");
        Para(
            sb,
            da
                ? "Vil du ikke have flere e-mails fra os om spørgeskemaet? Så tryk på knappen herunder."
                : "Would you rather not receive more e-mails from us about the questionnaire? Then press the "
                    + "button below."
        );
        Para(
            sb,
            da
                ? "Det ændrer ikke noget i din behandling. Du kan stadig svare på papir eller ringe til os."
                : "It changes nothing in your care. You can still answer on paper or call us."
        );
        sb.Append("<form method=\"post\" action=\"opt-out?lang=")
            .Append(Code(c.Language))
            .Append("\">\n<input type=\"hidden\" name=\"")
            .Append(OptOutService.CheckField)
            .Append("\" value=\"")
            .Append(HtmlPage.Encode(c.Check))
            .Append("\">\n<button type=\"submit\">")
            .Append(HtmlPage.Encode(da ? "Ja, stop e-mails" : "Yes, stop the e-mails"))
            .Append("</button>\n</form>\n");
        return sb.ToString();
    }

    private HtmlPage Page(int status, Language language, string title, params string[] paragraphs)
    {
        var sb = new StringBuilder();
        Heading(sb, title);
        foreach (var p in paragraphs)
            Para(sb, p);
        return Wrap(status, language, sb.ToString(), title);
    }

    private HtmlPage Wrap(int status, Language language, string body, string? title = null)
    {
        var da = language == Language.Da;
        var other = da ? Language.En : Language.Da;
        var sb = new StringBuilder();
        sb.Append("<p class=\"languages\"><a href=\"?lang=")
            .Append(Code(other))
            .Append("\" hreflang=\"")
            .Append(Code(other))
            .Append("\" lang=\"")
            .Append(Code(other))
            .Append("\">")
            .Append(da ? "English" : "Dansk")
            .Append("</a></p>\n")
            .Append(body);
        if (Contact(language) is { } contact)
            Para(sb, contact);
        Para(sb, (da ? "Med venlig hilsen\n" : "Kind regards\n") + ClinicName(language));
        var heading = title ?? (da ? "Ingen flere e-mails" : "No more e-mails");
        return new HtmlPage(status, HtmlPage.Document(language, heading, Stylesheet, sb.ToString()));
    }

    private string? Contact(Language language)
    {
        var da = language == Language.Da;
        var ways = new List<string>();
        if (_clinic.Phone.Length > 0)
            ways.Add((da ? "ring på " : "call ") + _clinic.Phone);
        if (_clinic.ContactEmail.Length > 0)
            ways.Add((da ? "skriv til " : "write to ") + _clinic.ContactEmail);
        if (ways.Count == 0)
            return null;
        var how = string.Join(da ? " eller " : " or ", ways);
        return da ? $"Har du spørgsmål, så {how}." : $"If you have questions, please {how}.";
    }

    private string ClinicName(Language language) =>
        _clinic.Name.Length > 0 ? _clinic.Name
        : language == Language.Da ? "Klinikken"
        : "The clinic";

    private static void Heading(StringBuilder sb, string text) =>
        sb.Append("<h1>").Append(HtmlPage.Encode(text)).Append("</h1>\n");

    // A line break in the text becomes <br>, after encoding.
    private static void Para(StringBuilder sb, string text) =>
        sb.Append("<p>")
            .Append(HtmlPage.Encode(text).Replace("\n", "<br>\n", StringComparison.Ordinal))
            .Append("</p>\n");

    private static string Code(Language language) => language == Language.En ? "en" : "da";
}
