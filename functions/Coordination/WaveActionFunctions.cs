using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Coordination.Actions;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.Coordination;

/// <summary>
/// Coordinator actions on one wave: send its invitation again, move its window (docs/coordination.md).
/// </summary>
public sealed class WaveActionFunctions(InvitationResend resend, WindowChange window)
{
    [Function("ResendInvitation")]
    public async Task<IActionResult> Resend(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{studyId}/waves/{wave}/resend")]
            HttpRequest request,
        string studyId,
        string wave,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await request.ReadOptionalJsonAsync<ResendRequest>(cancellationToken);
        if (problem is not null)
            return problem;
        var (actor, refused) = request.ReadActor("coordinator");
        if (refused is not null)
            return refused;
        return ActionAnswers.Of(await resend.ResendAsync(studyId, wave, body, actor!, cancellationToken));
    }

    [Function("ChangeWaveWindow")]
    public async Task<IActionResult> Window(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "patients/{studyId}/waves/{wave}/window")]
            HttpRequest request,
        string studyId,
        string wave,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await request.ReadJsonAsync<WindowRequest>(cancellationToken);
        if (problem is not null)
            return problem;
        var (actor, refused) = request.ReadActor("coordinator");
        if (refused is not null)
            return refused;
        return ActionAnswers.Of(await window.ChangeAsync(studyId, wave, body, actor!, cancellationToken));
    }
}
