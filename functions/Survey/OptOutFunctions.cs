using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.Survey;

/// <summary>
/// The opt-out link of every invitation (anonymous: the token in the path is the credential): a confirmation page,
/// a confirming post, and the pages' stylesheet. See docs/openapi.yaml, "Survey pages".
/// </summary>
public sealed class OptOutFunctions(OptOutService optOut, OptOutPages pages)
{
    [Function("OptOutPage")]
    public async Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "survey/{token}/opt-out")] HttpRequest request,
        string token,
        CancellationToken cancellationToken
    ) => HtmlAnswers.Page(pages.Render(await optOut.ShowAsync(token, Requested(request), cancellationToken)));

    [Function("OptOut")]
    public async Task<IActionResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "survey/{token}/opt-out")] HttpRequest request,
        string token,
        CancellationToken cancellationToken
    )
    {
        var body = await RequestReading.ReadBoundedAsync(request, OptOutService.MaxBodyBytes, cancellationToken);
        if (body is null)
            return HtmlAnswers.Page(pages.Render(new OptOutOutcome.TooLarge(Requested(request) ?? Language.Da)));
        var post = new OptOutPost(
            token,
            Requested(request),
            new Uri(request.GetEncodedUrl()),
            HtmlAnswers.Header(request, "Origin"),
            HtmlAnswers.Header(request, "Sec-Fetch-Site"),
            request.ContentType,
            body
        );
        return HtmlAnswers.Page(pages.Render(await optOut.ConfirmAsync(post, cancellationToken)));
    }

    [Function("SurveyStylesheet")]
    public static IActionResult Stylesheet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "survey/pages.css")] HttpRequest request
    ) => HtmlAnswers.Stylesheet();

    [Function("SurveyIcon")]
    public static IActionResult Icon(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "survey/icon.svg")] HttpRequest request
    ) => HtmlAnswers.Icon();

    private static Language? Requested(HttpRequest request) => HtmlAnswers.RequestedLanguage(request);
}
