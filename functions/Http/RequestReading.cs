using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PvpServerless.Patients;

namespace PvpServerless.Functions.Http;

/// <summary>Turns a request into typed input, or into the errors that name what was wrong with it.</summary>
public static class RequestReading
{
    /// <summary>Reads a JSON body. A malformed body or a field of the wrong JSON type becomes an error named by its path.</summary>
    public static async Task<(T? Value, IReadOnlyDictionary<string, string[]>? Errors)> ReadJsonAsync<T>(
        this HttpRequest request,
        CancellationToken cancellationToken
    )
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Answers.Json, cancellationToken);
            return (value, null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$', '.');
            var errors = new FieldErrors();
            errors.Add(field, ex.Path is null or "$" ? "The body is not valid JSON." : "Has the wrong type.");
            return (null, errors.ToDictionary());
        }
    }

    /// <summary>Who is acting: the caller may name the person in <c>X-Pvp-User</c>; the key stands for the role.</summary>
    public static Actor Actor(this HttpRequest request, string role)
    {
        var user = request.Headers["X-Pvp-User"].ToString();
        return new Actor(role, string.IsNullOrWhiteSpace(user) ? null : user[..Math.Min(user.Length, 64)]);
    }
}
