using System.Globalization;
using System.Text;
using PvpServerless.Questionnaires;
using PvpServerless.Web;

namespace PvpServerless.Survey;

/// <summary>
/// The questionnaire form, after the GOV.UK Design System's radios, error summary and error message patterns: one
/// <c>fieldset</c> and <c>legend</c> per item, a <c>label</c> bound to every radio, the EQ VAS as a whole-number text
/// input, an error summary at the top linking to each item, each error next to its item and tied to it with
/// <c>aria-describedby</c>. Ids are the field keys with '-' for '.' (<c>eq5d-mobility-1</c>, <c>eq5d-vas</c>,
/// <c>odi-section3-0</c>), names the field keys themselves; docs/survey.md lists them for browser tests.
/// </summary>
internal static class QuestionnaireHtml
{
    public static int Questions(SurveyForm form) => form.Eq5d.Items.Count + form.Odi.Items.Count;

    public static void Append(StringBuilder sb, SurveyWording words, SurveyForm form)
    {
        var errors = form.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message);
        if (form.HasErrors)
            ErrorSummary(sb, words, form, errors);
        sb.Append("<form method=\"post\" action=\"?lang=").Append(words.Code).Append("\" novalidate>\n");
        sb.Append("<input type=\"hidden\" name=\"")
            .Append(SurveyFormCheck.Field)
            .Append("\" value=\"")
            .Append(HtmlPage.Encode(form.Check))
            .Append("\">\n");
        var number = 0;
        Instrument[] parts = [form.Eq5d, form.Odi];
        for (var part = 0; part < parts.Length; part++)
        {
            var instrument = parts[part];
            sb.Append("<section class=\"part\" aria-labelledby=\"part-").Append(part + 1).Append("\">\n");
            sb.Append("<h2 id=\"part-").Append(part + 1).Append("\"><span class=\"caption\">");
            sb.Append(HtmlPage.Encode(words.Part(part + 1, parts.Length))).Append("</span> ");
            sb.Append(HtmlPage.Encode(instrument.Title[words.Language])).Append("</h2>\n");
            SurveyPages.Para(sb, instrument.Introduction[words.Language]);
            foreach (var item in instrument.Items)
            {
                number++;
                var field = instrument.FieldKey(item);
                var answer = form.Answers.GetValueOrDefault(field);
                var error = errors.GetValueOrDefault(field);
                if (item.IsScale)
                    Scale(sb, words, item, field, number, answer, error);
                else
                    Radios(sb, words, item, field, number, answer, error);
            }
            sb.Append("</section>\n");
        }
        SurveyPages.Para(sb, words.BeforeSubmit);
        sb.Append("<button type=\"submit\" class=\"submit\">").Append(HtmlPage.Encode(words.Submit));
        sb.Append("</button>\n</form>\n");
    }

    /// <summary>The id of an item's input, or of its first radio: where the error summary's link takes focus.</summary>
    public static string FirstInputId(InstrumentItem item, string field) =>
        item.IsScale ? IdOf(field) : $"{IdOf(field)}-{item.Answers[0].Value.ToString(CultureInfo.InvariantCulture)}";

    private static string IdOf(string field) => field.Replace('.', '-');

    private static void ErrorSummary(
        StringBuilder sb,
        SurveyWording words,
        SurveyForm form,
        Dictionary<string, string> errors
    )
    {
        sb.Append(
            "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n"
        );
        sb.Append("<h2 id=\"error-summary-title\">").Append(HtmlPage.Encode(words.ErrorSummary)).Append("</h2>\n");
        var answered = form
            .Eq5d.Items.Select(form.Eq5d.FieldKey)
            .Concat(form.Odi.Items.Select(form.Odi.FieldKey))
            .Count(f => !string.IsNullOrWhiteSpace(form.Answers.GetValueOrDefault(f)));
        SurveyPages.Para(sb, words.Answered(answered, Questions(form)));
        sb.Append("<ul class=\"error-list\">\n");
        foreach (var instrument in new[] { form.Eq5d, form.Odi })
        {
            foreach (var item in instrument.Items)
            {
                var field = instrument.FieldKey(item);
                if (!errors.TryGetValue(field, out var message))
                    continue;
                sb.Append("<li><a href=\"#").Append(FirstInputId(item, field)).Append("\">");
                sb.Append(HtmlPage.Encode(message)).Append("</a></li>\n");
            }
        }
        sb.Append("</ul>\n</div>\n");
    }

    private static void Radios(
        StringBuilder sb,
        SurveyWording words,
        InstrumentItem item,
        string field,
        int number,
        string? answer,
        string? error
    )
    {
        var id = IdOf(field);
        sb.Append("<div class=\"item").Append(error is null ? "" : " item-error").Append("\">\n<fieldset");
        if (error is not null)
            sb.Append(" aria-describedby=\"").Append(id).Append("-error\"");
        sb.Append(">\n<legend class=\"question\">");
        Question(sb, words, item, number);
        sb.Append("</legend>\n");
        ErrorMessage(sb, words, id, error);
        sb.Append("<div class=\"radios\">\n");
        foreach (var option in item.Answers)
        {
            var value = option.Value.ToString(CultureInfo.InvariantCulture);
            var optionId = $"{id}-{value}";
            sb.Append("<div class=\"radio\">\n<input type=\"radio\" id=\"").Append(optionId);
            sb.Append("\" name=\"").Append(field).Append("\" value=\"").Append(value).Append('"');
            if (answer == value)
                sb.Append(" checked");
            sb.Append(">\n<label for=\"").Append(optionId).Append("\">");
            sb.Append(HtmlPage.Encode(option.Text[words.Language])).Append("</label>\n</div>\n");
        }
        sb.Append("</div>\n</fieldset>\n</div>\n");
    }

    private static void Scale(
        StringBuilder sb,
        SurveyWording words,
        InstrumentItem item,
        string field,
        int number,
        string? answer,
        string? error
    )
    {
        var id = IdOf(field);
        var scale = item.Scale!;
        sb.Append("<div class=\"item").Append(error is null ? "" : " item-error").Append("\">\n");
        sb.Append("<label class=\"question\" for=\"").Append(id).Append("\">");
        Question(sb, words, item, number);
        sb.Append("</label>\n<p class=\"hint\" id=\"").Append(id).Append("-hint\">");
        sb.Append(HtmlPage.Encode(words.VasHint(scale.MinLabel[words.Language], scale.MaxLabel[words.Language])));
        sb.Append("</p>\n");
        ErrorMessage(sb, words, id, error);
        sb.Append("<input class=\"number\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" ");
        sb.Append("spellcheck=\"false\" maxlength=\"3\" id=\"").Append(id).Append("\" name=\"").Append(field);
        sb.Append("\" aria-describedby=\"").Append(id).Append("-hint");
        if (error is not null)
            sb.Append(' ').Append(id).Append("-error\" aria-invalid=\"true");
        sb.Append("\" value=\"").Append(HtmlPage.Encode(answer)).Append("\">\n</div>\n");
    }

    private static void Question(StringBuilder sb, SurveyWording words, InstrumentItem item, int number)
    {
        sb.Append("<span class=\"number\">").Append(number).Append(".</span> ");
        sb.Append(HtmlPage.Encode(item.Text[words.Language]));
        if (item.Optional)
            sb.Append(" <span class=\"optional\">").Append(HtmlPage.Encode(words.Optional)).Append("</span>");
    }

    private static void ErrorMessage(StringBuilder sb, SurveyWording words, string id, string? error)
    {
        if (error is null)
            return;
        sb.Append("<p class=\"error-message\" id=\"").Append(id).Append("-error\"><span class=\"visually-hidden\">");
        sb.Append(HtmlPage.Encode(words.ErrorPrefix))
            .Append(" </span>")
            .Append(HtmlPage.Encode(error))
            .Append("</p>\n");
    }
}
