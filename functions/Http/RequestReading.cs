using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PvpServerless.Coordination;
using PvpServerless.Patients;

namespace PvpServerless.Functions.Http;

/// <summary>Turns a request into typed input, or into the errors that name what was wrong with it.</summary>
public static class RequestReading
{
    /// <summary>The largest body any JSON route reads: an enrolment at its limits is under 16 KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    // Unknown fields are refused, never dropped: a misspelt key must not pass as an unanswered item.
    private static readonly JsonSerializerOptions Strict = new(Answers.Json)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 8,
    };

    /// <summary>
    /// Reads a JSON body of at most <see cref="MaxBodyBytes"/>. A malformed body, an unknown field or a field of the
    /// wrong JSON type becomes a 400 naming it by its path; a larger body a 413. Either way, <c>Problem</c> is the
    /// answer to send and nothing was read into <c>Value</c>.
    /// </summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadJsonAsync<T>(
        this HttpRequest request,
        CancellationToken cancellationToken
    )
        where T : class
    {
        if (RefuseMediaType(request) is { } refused)
            return (null, refused);
        var body = await ReadBoundedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
            return (null, Answers.TooLarge(MaxBodyBytes));
        try
        {
            return (JsonSerializer.Deserialize<T>(body, Strict), null);
        }
        catch (JsonException ex)
        {
            var (field, message) = Describe(ex);
            return (null, Answers.Validation(new Dictionary<string, string[]> { [field] = [message] }));
        }
    }

    /// <summary>
    /// A 415 when the body is labelled as something other than UTF-8 JSON (a form, text, XML, another charset), else
    /// null. A body without a Content-Type is read as JSON. Nothing labelled otherwise is applied, so a cross-site form
    /// (<c>text/plain</c>, no preflight) never reaches a route (docs/evidence.md, "Hostile input").
    /// </summary>
    public static IActionResult? RefuseMediaType(HttpRequest request)
    {
        var type = request.ContentType;
        if (string.IsNullOrEmpty(type))
            return null;
        if (
            MediaTypeHeaderValue.TryParse(type, out var parsed)
            && parsed.MediaType is { } media
            && (
                media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            )
            && (parsed.CharSet is null || parsed.CharSet.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        )
            return null;
        return Answers.UnsupportedMediaType("application/json");
    }

    /// <summary>
    /// The body, or null when it is longer than <paramref name="limit"/> (read no further than that).
    /// </summary>
    public static async Task<byte[]?> ReadBoundedAsync(
        HttpRequest request,
        int limit,
        CancellationToken cancellationToken
    )
    {
        if (request.ContentLength > limit)
            return null;
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var length = 0;
            int read;
            while (
                length <= limit
                && (read = await request.Body.ReadAsync(buffer.AsMemory(length, limit + 1 - length), cancellationToken))
                    > 0
            )
                length += read;
            return length > limit ? null : buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (string Field, string Message) Describe(JsonException ex)
    {
        var path = ex.Path is null or "$" ? "body" : Bounded(ex.Path.TrimStart('$', '.'));
        // The path of an unmapped member ends with its name.
        if (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
            return (path, "Unknown field: remove it or check its spelling.");
        return path == "body" ? ("body", "The body is not valid JSON.") : (path, "Has the wrong type.");
    }

    // Field names come from the caller: never echo more than a short, printable piece of one.
    private static string Bounded(string text)
    {
        var printable = new string(text.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return printable.Length < text.Length ? printable + "…" : printable;
    }

    /// <summary>
    /// Who is acting (docs/coordination.md, "Who did it"): the signed-in person when App Service Authentication put
    /// its client-principal headers on the request, else the initials of <c>X-Pvp-User</c>; the key stands for the
    /// role. A malformed principal, or an <c>X-Pvp-User</c> that is not initials (an e-mail address, a long text), is
    /// a 400 naming the header; then <c>Problem</c> is the answer to send.
    /// </summary>
    public static (Actor? Actor, IActionResult? Problem) ReadActor(this HttpRequest request, string role) =>
        CoordinatorIdentity.Resolve(
            role,
            name => request.Headers[name].ToString() is { Length: > 0 } v ? v : null
        ) switch
        {
            IdentityResult.Known k => (k.Actor, null),
            IdentityResult.Refused r => (
                null,
                Answers.Validation(new Dictionary<string, string[]> { [r.Header] = [r.Message] })
            ),
            _ => throw new InvalidOperationException("Unknown identity result."),
        };
}
