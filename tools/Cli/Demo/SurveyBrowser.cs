using System.Net;
using System.Text.RegularExpressions;

namespace PvpServerless.Cli.Demo;

/// <summary>One item of a survey form: its field name and choices (none for a number box, the EQ VAS).</summary>
public sealed record FormItem(string Name, IReadOnlyList<string> Choices, bool Optional);

/// <summary>The form of a survey page as a browser sees it: where it posts, its hidden check and its items.</summary>
public sealed record SurveyForm(Uri Action, string Check, IReadOnlyList<FormItem> Items);

/// <summary>A survey page as it came back: address, status and, when it shows a questionnaire, the form.</summary>
public sealed record SurveyPage(Uri Address, HttpStatusCode Status, SurveyForm? Form);

/// <summary>
/// What a patient's browser does with the link of an e-mail, over plain HTTP against the running host: opens the page,
/// reads its form from the HTML (the names, ids and hidden <c>check</c> of docs/survey.md), and posts it back as
/// <c>application/x-www-form-urlencoded</c> with the <c>Origin</c> and <c>Sec-Fetch-Site</c> a browser sends.
/// </summary>
public sealed partial class SurveyBrowser(HttpClient http)
{
    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormTag();

    [GeneratedRegex("name=\"check\" value=\"([^\"]+)\"")]
    private static partial Regex CheckField();

    [GeneratedRegex("<input type=\"radio\" id=\"[^\"]*\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex Radio();

    [GeneratedRegex("<input [^>]*type=\"text\"[^>]*name=\"([^\"]+)\"")]
    private static partial Regex TextInput();

    public async Task<SurveyPage> OpenAsync(Uri link, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(link, cancellationToken);
        return await ReadAsync(link, response, cancellationToken);
    }

    /// <summary>Posts <paramref name="answers"/> with the form's check, as the browser sends the form.</summary>
    public async Task<SurveyPage> SubmitAsync(
        SurveyForm form,
        IEnumerable<KeyValuePair<string, string>> answers,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action)
        {
            Content = new FormUrlEncodedContent([new("check", form.Check), .. answers]),
        };
        request.Headers.Add("Origin", form.Action.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(form.Action, response, cancellationToken);
    }

    private static async Task<SurveyPage> ReadAsync(
        Uri address,
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        return new SurveyPage(address, response.StatusCode, Parse(address, html));
    }

    /// <summary>The form of a page, or null when the page has none (thank you, closed, not found).</summary>
    public static SurveyForm? Parse(Uri address, string html)
    {
        var form = FormTag().Match(html);
        var check = CheckField().Match(html);
        if (!form.Success || !check.Success)
            return null;
        var items = new List<FormItem>();
        // Each item is a <div class="item"> (docs/survey.md): radios with their values, or the VAS's text box.
        foreach (var part in html.Split("<div class=\"item", StringSplitOptions.None).Skip(1))
        {
            var optional = part.Contains("class=\"optional\"", StringComparison.Ordinal);
            var radios = Radio().Matches(part);
            if (radios.Count > 0)
            {
                items.Add(
                    new FormItem(radios[0].Groups[1].Value, [.. radios.Select(r => r.Groups[2].Value)], optional)
                );
            }
            else if (TextInput().Match(part) is { Success: true } text)
            {
                items.Add(new FormItem(text.Groups[1].Value, [], optional));
            }
        }
        var action = new Uri(address, WebUtility.HtmlDecode(form.Groups[1].Value));
        return new SurveyForm(action, WebUtility.HtmlDecode(check.Groups[1].Value), items);
    }
}
