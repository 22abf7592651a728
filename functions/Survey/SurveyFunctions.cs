using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Domain;
using PvpServerless.Functions.Http;
using PvpServerless.Survey;

namespace PvpServerless.Functions.Survey;

/// <summary>
/// The questionnaire of every invitation's link (anonymous: the token in the path is the credential): the form and
/// its post. See docs/survey.md and docs/openapi.yaml, "Survey pages".
/// </summary>
public sealed class SurveyFunctions(SurveyService survey, SurveyPages pages)
{
    [Function("SurveyPage")]
    public async Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "survey/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken
    ) =>
        HtmlAnswers.Page(
            pages.Render(await survey.ShowAsync(token, HtmlAnswers.RequestedLanguage(request), cancellationToken))
        );

    [Function("Survey")]
    public async Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "survey/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken
    )
    {
        var requested = HtmlAnswers.RequestedLanguage(request);
        var body = await RequestReading.ReadBoundedAsync(request, SurveyService.MaxBodyBytes, cancellationToken);
        if (body is null)
            return HtmlAnswers.Page(pages.Render(new SurveyOutcome.TooLarge(requested ?? Language.Da)));
        var post = new SurveyPost(
            token,
            requested,
            new Uri(request.GetEncodedUrl()),
            HtmlAnswers.Header(request, "Origin"),
            HtmlAnswers.Header(request, "Sec-Fetch-Site"),
            request.ContentType,
            body
        );
        return HtmlAnswers.Page(pages.Render(await survey.SubmitAsync(post, cancellationToken)));
    }
}
