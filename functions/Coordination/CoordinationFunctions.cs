using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;

namespace PvpServerless.Functions.Coordination;

/// <summary>
/// Coordinator API, the follow-up at a glance: the summary, the list behind each of its numbers, one patient's
/// timeline. Function key required (docs/openapi.yaml).
/// </summary>
public sealed class CoordinationFunctions(
    FollowUpSummaryService summary,
    FollowUpListService list,
    PatientTimelineService timeline,
    ClinicClock clinic
)
{
    [Function("FollowUpSummary")]
    public async Task<IActionResult> Summary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "followups/summary")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (FollowUpQueries.AsOf(request.Query["asOf"].ToString(), clinic.Today(), errors) is not { } asOf)
            return Answers.Validation(errors.ToDictionary());
        return Answers.Ok(await summary.GetAsync(asOf, cancellationToken));
    }

    [Function("ListFollowUps")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "followups")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var q = request.Query;
        var errors = new FieldErrors();
        var (filter, pageSize) = FollowUpQueries.List(
            q["wave"].ToString(),
            q["status"].ToString(),
            q["reason"].ToString(),
            q["asOf"].ToString(),
            q["pageSize"].ToString(),
            clinic.Today(),
            errors
        );
        var token = q["continuationToken"].ToString();
        if (filter is not null && token.Length > 0 && !FollowUpListService.IsToken(token, filter))
            errors.Add("continuationToken", "Not a token from a previous page of this list: start again without one.");
        if (filter is null || !errors.IsEmpty)
            return Answers.Validation(errors.ToDictionary());
        return Answers.Ok(
            await list.ListAsync(filter, pageSize, token.Length == 0 ? null : token, cancellationToken)
        );
    }

    [Function("GetPatientTimeline")]
    public async Task<IActionResult> Timeline(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{studyId}/timeline")] HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    ) =>
        await timeline.GetAsync(studyId, cancellationToken) is { } found
            ? Answers.Ok(found)
            : Answers.NotFound($"No patient with study id {studyId}.");
}
