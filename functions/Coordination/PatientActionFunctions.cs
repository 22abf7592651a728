using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Coordination.Actions;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.Coordination;

/// <summary>
/// Coordinator actions on a patient: opt out of e-mail or back in, correct a death or withdrawal date
/// (docs/coordination.md).
/// </summary>
public sealed class PatientActionFunctions(OptOutChange optOut, DateCorrection dates)
{
    [Function("OptPatientOut")]
    public async Task<IActionResult> OptOut(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{studyId}/opt-out")] HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    )
    {
        var (actor, refused) = request.ReadActor("coordinator");
        return refused ?? ActionAnswers.Of(await optOut.OptOutAsync(studyId, actor!, cancellationToken));
    }

    [Function("OptPatientIn")]
    public async Task<IActionResult> OptIn(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{studyId}/opt-in")] HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    )
    {
        var (actor, refused) = request.ReadActor("coordinator");
        return refused ?? ActionAnswers.Of(await optOut.OptInAsync(studyId, actor!, cancellationToken));
    }

    [Function("CorrectEventDate")]
    public async Task<IActionResult> CorrectDate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{studyId}/date-corrections")]
            HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    ) =>
        await ActionAnswers.RunAsync<DateCorrectionRequest>(
            request,
            optional: false,
            (body, actor) => dates.CorrectAsync(studyId, body, actor, cancellationToken),
            cancellationToken
        );
}
