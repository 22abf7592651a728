using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Coordination.Actions;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.Coordination;

/// <summary>
/// Gives up an enrolment that never finished, so its study id can be used again (docs/coordination.md).
/// </summary>
public sealed class EnrolmentActionFunctions(PendingAbandonment pending)
{
    [Function("AbandonPendingEnrolment")]
    public async Task<IActionResult> Abandon(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "enrolments/pending/{studyId}")]
            HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    )
    {
        var (actor, refused) = request.ReadActor("coordinator");
        return refused ?? ActionAnswers.Of(await pending.AbandonAsync(studyId, actor!, cancellationToken));
    }
}
