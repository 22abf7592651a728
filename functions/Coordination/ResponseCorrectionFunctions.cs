using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Coordination.Actions;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.Coordination;

/// <summary>
/// One stored response with its scores and ETag, and its correction (docs/coordination.md, "Responses").
/// </summary>
public sealed class ResponseCorrectionFunctions(ResponseCorrection responses)
{
    [Function("GetResponse")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{studyId}/responses/{wave}")]
            HttpRequest request,
        string studyId,
        string wave,
        CancellationToken cancellationToken
    ) => ActionAnswers.Of(await responses.ReadAsync(studyId, wave, cancellationToken));

    [Function("CorrectResponse")]
    public async Task<IActionResult> Correct(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "patients/{studyId}/responses/{wave}")]
            HttpRequest request,
        string studyId,
        string wave,
        CancellationToken cancellationToken
    ) =>
        await ActionAnswers.RunAsync<ResponseCorrectionRequest>(
            request,
            optional: false,
            (body, actor) =>
                responses.CorrectAsync(
                    studyId,
                    wave,
                    body,
                    request.Headers.IfMatch.ToString() is { Length: > 0 } m ? m : null,
                    actor,
                    cancellationToken
                ),
            cancellationToken
        );
}
