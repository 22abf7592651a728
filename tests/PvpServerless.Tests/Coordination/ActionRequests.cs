using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PvpServerless.Tests.Coordination;

/// <summary>Requests the action tests send: a method, a path, a body, the identity headers.</summary>
public static class ActionRequests
{
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>App Service Authentication's X-MS-CLIENT-PRINCIPAL for these claims (base64 of its JSON).</summary>
    public static string Principal(params (string Type, string Value)[] claims) =>
        Convert.ToBase64String(
            Encoding.UTF8.GetBytes(
                JsonSerializer.Serialize(
                    new
                    {
                        auth_typ = "aad",
                        claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
                        name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                        role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
                    }
                )
            )
        );

    public static HttpRequestMessage Make(
        HttpMethod method,
        string path,
        object? body = null,
        IReadOnlyDictionary<string, string>? headers = null
    )
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public static Dictionary<string, string> User(string initials) => new() { ["X-Pvp-User"] = initials };

    /// <summary>Sends and reads the answer: status and JSON (null for an empty body).</summary>
    public static async Task<(int Status, JsonNode? Json, HttpResponseMessage Response)> CallAsync(
        this HttpClient client,
        HttpRequestMessage request
    )
    {
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }
}
