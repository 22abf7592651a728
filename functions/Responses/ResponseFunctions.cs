using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Functions.Http;
using PvpServerless.Responses;

namespace PvpServerless.Functions.Responses;

/// <summary>
/// Coordinator API: a questionnaire typed in from paper, stored as the patient's response for a wave.
/// </summary>
public sealed class ResponseFunctions(ResponseService responses)
{
    [Function("RecordResponse")]
    public async Task<IActionResult> Record(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{studyId}/responses")] HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await request.ReadJsonAsync<ResponseRequest>(cancellationToken);
        if (problem is not null)
            return problem;
        var (actor, refused) = request.ReadActor("coordinator");
        if (refused is not null)
            return refused;
        return await responses.StoreAsync(studyId, body, actor!, cancellationToken) switch
        {
            ResponseResult.Stored s => Answers.Send(
                new { stored = true, response = s.Response },
                StatusCodes.Status201Created
            ),
            ResponseResult.AlreadyStored a => Answers.Ok(new { stored = false, response = a.Response }),
            ResponseResult.Invalid i => Answers.Validation(i.Errors),
            ResponseResult.NotFound n => Answers.NotFound($"No patient with study id {n.StudyId}."),
            ResponseResult.Conflict c => Answers.Conflict(c.Message, "wave"),
            ResponseResult.Busy b => Answers.Busy(b.RetryAfter),
            _ => throw new InvalidOperationException("Unknown response result."),
        };
    }
}
