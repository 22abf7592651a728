using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PvpServerless.Dashboard;
using PvpServerless.Domain;
using PvpServerless.Functions.Http;
using PvpServerless.Reports.Nightly;
using PvpServerless.Web;

namespace PvpServerless.Functions.Dashboard;

/// <summary>
/// The coordinator dashboard's pages (docs/coordination.md, "Dashboard"). Anonymous at the Functions level: the pages
/// themselves require the platform's identity or, on one machine, the signed session cookie, and answer 401 without.
/// </summary>
public sealed class DashboardFunctions(DashboardPages pages, IOptions<ReportOptions> reportOptions)
{
    [Function("DashboardOverview")]
    public async Task<IActionResult> Overview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request,
        CancellationToken cancellationToken
    ) =>
        DashboardResult.Of(await pages.OverviewAsync(DashboardResult.Read(request), cancellationToken));

    [Function("DashboardFollowUps")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/followups")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var q = request.Query;
        var query = new ListQuery(
            q["wave"].ToString(),
            q["status"].ToString(),
            q["reason"].ToString(),
            q["continuationToken"].ToString()
        );
        return DashboardResult.Of(
            await pages.ListAsync(DashboardResult.Read(request), query, cancellationToken)
        );
    }

    [Function("DashboardPatient")]
    public async Task<IActionResult> Patient(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/patients/{studyId}")] HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    ) =>
        DashboardResult.Of(
            await pages.PatientAsync(DashboardResult.Read(request), studyId, cancellationToken)
        );

    [Function("DashboardReport")]
    public async Task<IActionResult> Report(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/report")] HttpRequest request,
        CancellationToken cancellationToken
    ) =>
        DashboardResult.Of(
            await pages.ReportAsync(DashboardResult.Read(request), reportOptions.Value.LinkLifetime, cancellationToken)
        );

    [Function("DashboardStylesheet")]
    public static IActionResult Stylesheet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/assets/dashboard.css")] HttpRequest request
    ) => HtmlAnswers.Static(PageStyle.ContentType, DashboardStyle.Css);

    [Function("DashboardIcon")]
    public static IActionResult Icon(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/assets/icon.svg")] HttpRequest request
    ) => HtmlAnswers.Icon();
}

/// <summary>How a dashboard request is read and its answer sent: a page, or a 303 with its cookie.</summary>
public static class DashboardResult
{
    public static DashboardRequest Read(HttpRequest request) =>
        new(
            name => HtmlAnswers.Header(request, name),
            request.Cookies[SessionCookie.Name],
            new Uri(request.GetEncodedUrl()),
            HtmlAnswers.RequestedLanguage(request) ?? Language.Da,
            request.Query["notice"].ToString() is { Length: > 0 } notice ? notice : null
        );

    public static IActionResult Of(DashboardAnswer answer) =>
        answer.Page is { } page ? HtmlAnswers.Page(page) : new SeeOther(answer.Location!, answer.SetCookie);

    private sealed class SeeOther(string location, string? cookie) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status303SeeOther;
            foreach (var (name, value) in HtmlPage.SecurityHeaders)
                response.Headers[name] = value;
            response.Headers.Location = location;
            if (cookie is not null)
                response.Headers.SetCookie = cookie;
            return Task.CompletedTask;
        }
    }
}
