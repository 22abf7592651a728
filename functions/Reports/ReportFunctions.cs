using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Functions.Http;
using PvpServerless.Reports.Nightly;
using PvpServerless.Web;

namespace PvpServerless.Functions.Reports;

/// <summary>Researcher API: the report days and their files, each file a short-lived read-only link.</summary>
public sealed class ReportFunctions(ReportStore store, IOptions<ReportOptions> options)
{
    [Function("ListReports")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reports")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var text = request.Query["days"].ToString();
        var take = 31;
        if (text.Length > 0 && (!WholeNumber.TryParse(text, out take) || take is < 1 or > 1000))
        {
            return Answers.Validation(
                new Dictionary<string, string[]>
                {
                    ["days"] = ["How many of the newest days to list: 1 to 1000 (default 31)."],
                }
            );
        }
        var latest = await store.GetLatestAsync(cancellationToken);
        var days = await store.ListAsync(cancellationToken, take);
        return Answers.Ok(
            new { latest = latest?.Day, days = days.Select(d => new { day = d.Day, manifest = d.Manifest }) }
        );
    }

    [Function("GetLatestReportFile")]
    public async Task<IActionResult> Latest(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reports/latest/{file}")] HttpRequest request,
        string file,
        CancellationToken cancellationToken
    ) =>
        await store.GetLatestAsync(cancellationToken) is { } latest
            ? await RedirectAsync(latest.Day, file, cancellationToken)
            : Answers.NotFound("No report has been published yet.");

    [Function("GetReportFile")]
    public async Task<IActionResult> Day(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reports/{day}/{file}")] HttpRequest request,
        string day,
        string file,
        CancellationToken cancellationToken
    )
    {
        if (!Codes.TryParseDate(day, out var date))
        {
            return Answers.Validation(
                new Dictionary<string, string[]> { ["day"] = ["A date as yyyy-MM-dd, or latest."] }
            );
        }
        return await RedirectAsync(date, file, cancellationToken);
    }

    private async Task<IActionResult> RedirectAsync(DateOnly day, string file, CancellationToken cancellationToken) =>
        await store.LinkAsync(day, file, options.Value.LinkLifetime, cancellationToken) is { } link
            ? new RedirectResult(link.AbsoluteUri, permanent: false)
            : Answers.NotFound($"No file {file} in a complete report for {Codes.Format(day)}.");
}
