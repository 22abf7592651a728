using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Dashboard;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.Dashboard;

/// <summary>
/// The dashboard's posts: signing in on one machine (a one-time link's form) and the action buttons. Anonymous at the
/// Functions level; the services check who is signed in, the origin and the forms' check (docs/coordination.md).
/// </summary>
public sealed class DashboardPostFunctions(SignInPages signIn, DashboardActions actions, DashboardPages pages)
{
    [Function("DashboardSignInPage")]
    public async Task<IActionResult> SignInPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/sign-in")] HttpRequest request,
        CancellationToken cancellationToken
    ) =>
        DashboardResult.Of(
            await signIn.ShowAsync(DashboardResult.Read(request), request.Query["ticket"].ToString(), cancellationToken)
        );

    [Function("DashboardSignIn")]
    public async Task<IActionResult> SignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/sign-in")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var read = DashboardResult.Read(request);
        var body = await RequestReading.ReadBoundedAsync(request, SignInPages.MaxBodyBytes, cancellationToken);
        if (body is null)
            return DashboardResult.Of(pages.Problem(413, DashboardText.Of(read.Language), null, "body", "Too large."));
        var post = new SignInPost(
            read,
            HtmlAnswers.Header(request, "Origin"),
            HtmlAnswers.Header(request, "Sec-Fetch-Site"),
            request.ContentType,
            body
        );
        return DashboardResult.Of(await signIn.SignInAsync(post, cancellationToken));
    }

    [Function("DashboardAction")]
    public async Task<IActionResult> Act(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/actions")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var read = DashboardResult.Read(request);
        var body = await RequestReading.ReadBoundedAsync(request, DashboardActions.MaxBodyBytes, cancellationToken);
        if (body is null)
            return DashboardResult.Of(pages.Problem(413, DashboardText.Of(read.Language), null, "body", "Too large."));
        var post = new ActionPost(
            read,
            HtmlAnswers.Header(request, "Origin"),
            HtmlAnswers.Header(request, "Sec-Fetch-Site"),
            request.ContentType,
            body
        );
        return DashboardResult.Of(await actions.PostAsync(post, cancellationToken));
    }
}
