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
    ) =>
        await ActionAnswers.RunAsync<ResendRequest>(
            request,
            optional: true,
            (body, actor) => resend.ResendAsync(studyId, wave, body, actor, cancellationToken),
            cancellationToken
        );

    [Function("ChangeWaveWindow")]
    public async Task<IActionResult> Window(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "patients/{studyId}/waves/{wave}/window")]
            HttpRequest request,
        string studyId,
        string wave,
        CancellationToken cancellationToken
    ) =>
        await ActionAnswers.RunAsync<WindowRequest>(
            request,
            optional: false,
            (body, actor) => window.ChangeAsync(studyId, wave, body, actor, cancellationToken),
            cancellationToken
        );
}
