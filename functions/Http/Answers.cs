using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

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

    public static IActionResult Problem(ProblemDetails problem) =>
        new JsonResult(problem, Json) { StatusCode = problem.Status, ContentType = "application/problem+json" };

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
