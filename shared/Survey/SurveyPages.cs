using System.Text;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Web;

namespace PvpServerless.Survey;

/// <summary>
/// The survey pages (docs/survey.md): the questionnaire (<see cref="QuestionnaireHtml"/>), the thank-you page, and
/// the pages of a link that is not open, which speak both languages (the page's first, then the other), because the
/// reader of a wrong link may be anyone. Every value is encoded; no study id, name or address appears.
/// </summary>
public sealed class SurveyPages(IOptions<ClinicContactOptions> clinic)
{
    /// <summary>Relative to <c>…/survey/{token}</c>: the stylesheet at <c>…/survey/pages.css</c>.</summary>
    public const string Stylesheet = "pages.css";

    private readonly ClinicDetails _clinic = ClinicDetails.From(clinic.Value);

    public HtmlPage Render(SurveyOutcome outcome)
    {
        var words = new SurveyWording(outcome.Language, _clinic);
        var status = StatusOf(outcome);
        var page = outcome switch
        {
            SurveyOutcome.Form f => new HtmlPage(
                status,
                Document(
                    words,
                    (f.Page.HasErrors ? words.ErrorPrefix + " " : "") + words.Title(f.Page.Wave),
                    Form(words, f.Page)
                )
            ),
            SurveyOutcome.Received => Single(status, words, outcome),
            _ => Both(status, words, outcome),
        };
        return outcome is SurveyOutcome.Busy ? page with { RetryAfter = Storage.Contention.RetryAfter } : page;
    }

    public static int StatusOf(SurveyOutcome outcome) =>
        outcome switch
        {
            SurveyOutcome.Form f => f.Page.HasErrors ? 422 : 200,
            SurveyOutcome.Received => 200,
            SurveyOutcome.AlreadyReceived or SurveyOutcome.Closed or SurveyOutcome.Gone => 410,
            SurveyOutcome.NotFound => 404,
            SurveyOutcome.Forbidden => 403,
            SurveyOutcome.NotAForm => 400,
            SurveyOutcome.TooLarge => 413,
            SurveyOutcome.Busy => 503,
            _ => throw new InvalidOperationException("Unknown survey outcome."),
        };

    private string Form(SurveyWording words, SurveyForm form)
    {
        var sb = new StringBuilder(48 * 1024);
        Languages(sb, words);
        sb.Append("<header class=\"intro\">\n<p class=\"caption\">")
            .Append(HtmlPage.Encode(words.ClinicName))
            .Append("</p>\n<h1>")
            .Append(HtmlPage.Encode(words.Title(form.Wave)))
            .Append("</h1>\n");
        Para(sb, words.Why);
        Para(sb, words.HowLong(QuestionnaireHtml.Questions(form), 2));
        if (words.Contact is { } contact)
            Para(sb, contact);
        sb.Append("</header>\n");
        QuestionnaireHtml.Append(sb, words, form);
        Footer(sb, words);
        return sb.ToString();
    }

    private HtmlPage Single(int status, SurveyWording words, SurveyOutcome outcome)
    {
        var (heading, text) = words.Page(outcome);
        var sb = new StringBuilder();
        sb.Append("<p class=\"caption\">").Append(HtmlPage.Encode(words.ClinicName)).Append("</p>\n");
        sb.Append("<h1>").Append(HtmlPage.Encode(heading)).Append("</h1>\n");
        foreach (var p in text)
            Para(sb, p);
        Footer(sb, words);
        return new HtmlPage(status, Document(words, heading, sb.ToString()));
    }

    // The page's language first, then the other in a section marked with its own lang.
    private HtmlPage Both(int status, SurveyWording words, SurveyOutcome outcome)
    {
        var other = new SurveyWording(words.Language == Language.Da ? Language.En : Language.Da, _clinic);
        var (heading, text) = words.Page(outcome);
        var (otherHeading, otherText) = other.Page(outcome);
        var sb = new StringBuilder();
        sb.Append("<p class=\"caption\">").Append(HtmlPage.Encode(words.ClinicName)).Append("</p>\n");
        sb.Append("<h1>").Append(HtmlPage.Encode(heading)).Append("</h1>\n");
        foreach (var p in text)
            Para(sb, p);
        if (words.Contact is { } contact)
            Para(sb, contact);
        sb.Append("<section class=\"other-language\" lang=\"").Append(other.Code).Append("\">\n<h2>");
        sb.Append(HtmlPage.Encode(otherHeading)).Append("</h2>\n");
        foreach (var p in otherText)
            Para(sb, p);
        if (other.Contact is { } otherContact)
            Para(sb, otherContact);
        sb.Append("</section>\n");
        Para(sb, words.Regards);
        return new HtmlPage(status, Document(words, heading, sb.ToString()));
    }

    private static void Languages(StringBuilder sb, SurveyWording words) =>
        sb.Append("<p class=\"languages\"><a href=\"?lang=")
            .Append(words.OtherCode)
            .Append("\" hreflang=\"")
            .Append(words.OtherCode)
            .Append("\" lang=\"")
            .Append(words.OtherCode)
            .Append("\">")
            .Append(words.OtherName)
            .Append("</a></p>\n");

    private static void Footer(StringBuilder sb, SurveyWording words)
    {
        sb.Append("<footer class=\"contact\">\n");
        if (words.Contact is { } contact)
            Para(sb, contact);
        Para(sb, words.Regards);
        sb.Append("</footer>\n");
    }

    private static string Document(SurveyWording words, string title, string body) =>
        HtmlPage.Document(words.Language, title, Stylesheet, body);

    // A line break in the text becomes <br>, after encoding.
    internal static void Para(StringBuilder sb, string text) =>
        sb.Append("<p>")
            .Append(HtmlPage.Encode(text).Replace("\n", "<br>\n", StringComparison.Ordinal))
            .Append("</p>\n");
}
