using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PvpServerless.Coordination;
using PvpServerless.Patients;

namespace PvpServerless.Functions.Http;

/// <summary>How a coordinator action's outcome is answered (docs/openapi.yaml, the action routes).</summary>
public static class ActionAnswers
{
    public static IActionResult Of(ActionOutcome outcome) =>
        outcome switch
        {
            ActionOutcome.Done { ETag: { } etag } d => new ETagResult(etag, d.Answer),
            ActionOutcome.Done d => Answers.Ok(d.Answer),
            ActionOutcome.Invalid i => Answers.Validation(i.Errors),
            ActionOutcome.NotFound n => Answers.NotFound(n.Detail),
            ActionOutcome.Conflict c => Answers.Conflict(c.Message, c.Field),
            ActionOutcome.Stale s => Answers.Problem(
                new ProblemDetails
                {
                    Type = "https://tools.ietf.org/html/rfc9110#section-15.5.13",
                    Title = "Changed since it was read.",
                    Status = StatusCodes.Status412PreconditionFailed,
                    Detail = s.Message,
                }
            ),
            ActionOutcome.Busy b => Answers.Busy(b.RetryAfter),
            _ => throw new InvalidOperationException("Unknown action outcome."),
        };

    /// <summary>
    /// The body of an action that takes none, or one that may be left out: null when the request has no body.
    /// </summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadOptionalJsonAsync<T>(
        this HttpRequest request,
        CancellationToken cancellationToken
    )
        where T : class =>
        request.ContentLength is null or 0 && !request.Headers.ContentType.Any()
            ? (null, null)
            : await request.ReadJsonAsync<T>(cancellationToken);

    /// <summary>
    /// A coordinator action with a JSON body: the body read (a problem names what is wrong with it), then who acts,
    /// then the action, its outcome answered. <paramref name="optional"/>: a request without a body acts with null.
    /// </summary>
    public static async Task<IActionResult> RunAsync<T>(
        HttpRequest request,
        bool optional,
        Func<T?, Actor, Task<ActionOutcome>> action,
        CancellationToken cancellationToken
    )
        where T : class
    {
        var (body, problem) = optional
            ? await request.ReadOptionalJsonAsync<T>(cancellationToken)
            : await request.ReadJsonAsync<T>(cancellationToken);
        if (problem is not null)
            return problem;
        var (actor, refused) = request.ReadActor("coordinator");
        return refused ?? Of(await action(body, actor!));
    }

    private sealed class ETagResult(string etag, object value) : JsonResult(value, Answers.Json)
    {
        public override Task ExecuteResultAsync(ActionContext context)
        {
            StatusCode = StatusCodes.Status200OK;
            ContentType = "application/json";
            context.HttpContext.Response.Headers.ETag = etag;
            return base.ExecuteResultAsync(context);
        }
    }
}
