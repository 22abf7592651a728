using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PvpServerless.Storage;

namespace PvpServerless.Functions.Http;

/// <summary>JSON and RFC 7807 problem results, set once here so every function answers alike.</summary>
public static class Answers
{
    // Relaxed escaping: API JSON is never embedded in HTML, and coordinators read "–" and quotes better than \u2013.
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IActionResult Ok(object value) => Send(value, StatusCodes.Status200OK);

    public static IActionResult Created(string location, object value) => new CreatedJsonResult(location, value);

    public static IActionResult Send(object value, int status) =>
        new JsonResult(value, Json) { StatusCode = status, ContentType = "application/json" };

    /// <summary>400 with one entry per bad field (JSON path, camelCase).</summary>
    public static IActionResult Validation(IReadOnlyDictionary<string, string[]> errors, string? instance = null) =>
        Problem(
            new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                Title = "The request has invalid fields.",
                Status = StatusCodes.Status400BadRequest,
                Detail = $"Fix {string.Join(", ", errors.Keys)} and send it again; nothing was stored.",
                Instance = instance,
            }
        );

    public static IActionResult NotFound(string detail) =>
        Problem(
            new ProblemDetails
            {
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                Title = "Not found.",
                Status = 404,
                Detail = detail,
            }
        );

    public static IActionResult Conflict(string detail, string? field = null)
    {
        var problem = new ProblemDetails
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
            Title = "Conflict.",
            Status = 409,
            Detail = detail,
        };
        if (field is not null)
            problem.Extensions["field"] = field;
        return Problem(problem);
    }

    /// <summary>413: the body is over the limit; says the limit, never echoes the body.</summary>
    public static IActionResult TooLarge(int limit) =>
        Problem(
            new ProblemDetails
            {
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
                Title = "The body is too large.",
                Status = StatusCodes.Status413PayloadTooLarge,
                Detail = $"Send at most {limit / 1024} KiB; nothing was stored.",
            }
        );

    /// <summary>415: the body is labelled with another media type; names the header and the type to send.</summary>
    public static IActionResult UnsupportedMediaType(string expected) =>
        Problem(
            new ValidationProblemDetails(
                new Dictionary<string, string[]> { ["Content-Type"] = [$"Send the body as {expected} (UTF-8)."] }
            )
            {
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
                Title = "Unsupported media type.",
                Status = StatusCodes.Status415UnsupportedMediaType,
                Detail = $"Send Content-Type: {expected}; nothing was stored.",
            }
        );

    /// <summary>
    /// 503 with Retry-After: the request is sound but lost every race for the same record, or storage is out of reach.
    /// Nothing was stored; the same request sent again after the pause is safe.
    /// </summary>
    public static IActionResult Busy(TimeSpan retryAfter) =>
        new RetryAfterResult(
            retryAfter,
            new ProblemDetails
            {
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                Title = "Busy: try again shortly.",
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail =
                    "Others were changing the same record at the same moment, or storage is out of reach; nothing "
                    + "was stored. Send the same request again after the Retry-After pause.",
            }
        );

    /// <summary>
    /// The answer to a request whose function met storage out of reach (the SDK has retried already): 503 with
    /// Retry-After, not 500; null for any other failure. The host's middleware asks it for every HTTP function
    /// (<see cref="StorageAwayMiddleware"/>; the local host alike), so no function repeats it (docs/evidence.md,
    /// "Faults").
    /// </summary>
    public static IActionResult? StorageAway(Exception failure) =>
        Contention.IsUnavailable(failure) ? Busy(Contention.RetryAfter) : null;

    public static IActionResult Problem(ProblemDetails problem) =>
        new JsonResult(problem, Json) { StatusCode = problem.Status, ContentType = "application/problem+json" };

    private sealed class RetryAfterResult(TimeSpan retryAfter, ProblemDetails problem) : JsonResult(problem, Json)
    {
        public override Task ExecuteResultAsync(ActionContext context)
        {
            StatusCode = problem.Status;
            ContentType = "application/problem+json";
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, seconds)
                .ToString(CultureInfo.InvariantCulture);
            return base.ExecuteResultAsync(context);
        }
    }

    private sealed class CreatedJsonResult(string location, object value) : JsonResult(value, Json)
    {
        public override Task ExecuteResultAsync(ActionContext context)
        {
            StatusCode = StatusCodes.Status201Created;
            ContentType = "application/json";
            context.HttpContext.Response.Headers.Location = location;
            return base.ExecuteResultAsync(context);
        }
    }
}
