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
        var post = await ReadPostAsync(request, SignInPages.MaxBodyBytes, cancellationToken);
        return DashboardResult.Of(
            post is null ? TooLarge(request) : await signIn.SignInAsync(post, cancellationToken)
        );
    }

    [Function("DashboardAction")]
    public async Task<IActionResult> Act(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/actions")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var post = await ReadPostAsync(request, DashboardActions.MaxBodyBytes, cancellationToken);
        return DashboardResult.Of(
            post is null ? TooLarge(request) : await actions.PostAsync(post, cancellationToken)
        );
    }

    // A bounded body (null past the limit) with the headers the origin check reads.
    private static async Task<DashboardPost?> ReadPostAsync(HttpRequest request, int limit, CancellationToken ct) =>
        await RequestReading.ReadBoundedAsync(request, limit, ct) is { } body
            ? new DashboardPost(
                DashboardResult.Read(request),
                HtmlAnswers.Header(request, "Origin"),
                HtmlAnswers.Header(request, "Sec-Fetch-Site"),
                request.ContentType,
                body
            )
            : null;

    private DashboardAnswer TooLarge(HttpRequest request) =>
        pages.Problem(413, DashboardText.Of(DashboardResult.Read(request).Language), null, "body", "Too large.");
}
