using System.Text;
using System.Text.Json.Nodes;

namespace PvpServerless.Tests.OpenApi;

/// <summary>What came back from one call: status, media type, headers and the body (JSON when it is JSON).</summary>
public sealed record ApiAnswer(
    int Status,
    string? MediaType,
    IReadOnlyDictionary<string, string> Headers,
    string Text,
    Uri? Location
)
{
    public JsonNode? Json => Text.Length == 0 ? null : JsonNode.Parse(Text);

    public override string ToString() => $"{Status} {MediaType} {Text[..Math.Min(Text.Length, 600)]}";
}

/// <summary>
/// Sends an operation's example to the running host and compares the answer with the document.
/// <paramref name="sign"/> gives the headers of a body that another system signs (SendGrid's webhook), at sending.
/// </summary>
public sealed class ApiCalls(
    ApiDescription api,
    HttpClient client,
    Func<string, IReadOnlyDictionary<string, string>>? sign = null
)
{
    /// <param name="key">The key to send; null sends none.</param>
    /// <param name="overrides">Parameter values to use instead of the examples (path or query).</param>
    /// <param name="inQuery">Send the key as <c>?code=</c> rather than the <c>x-functions-key</c> header.</param>
    public async Task<ApiAnswer> SendAsync(
        ApiOperation op,
        JsonNode? body,
        string? key,
        IReadOnlyDictionary<string, string>? overrides = null,
        bool inQuery = false,
        string? rawBody = null
    )
    {
        var path = op.ExamplePath(overrides);
        if (key is not null && inQuery)
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "code=" + Uri.EscapeDataString(key);
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), path);
        if (key is not null && !inQuery)
            request.Headers.Add("x-functions-key", key);
        foreach (var (name, value) in op.ExampleHeaders)
            request.Headers.Add(name, value);
        if (rawBody is null && body is not null && op.RequestMediaType == "application/x-www-form-urlencoded")
        {
            request.Content = new FormUrlEncodedContent(
                body.AsObject().Select(f => KeyValuePair.Create(f.Key, f.Value?.ToString() ?? ""))
            );
        }
        else if (rawBody is not null || body is not null)
        {
            var text = rawBody ?? body!.ToJsonString();
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
            if (op.SignedBy is not null && sign is not null)
            {
                foreach (var (name, value) in sign(text))
                    request.Headers.Add(name, value);
            }
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var headers = response
            .Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiAnswer(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            headers,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            response.Headers.Location
        );
    }

    /// <summary>
    /// What in <paramref name="answer"/> the document does not say: an undocumented status, a missing required
    /// header, another media type, a body that breaks the documented schema, or a body where none is documented.
    /// </summary>
    public IReadOnlyList<string> Differences(ApiOperation op, ApiAnswer answer)
    {
        if (!op.Responses.TryGetValue(answer.Status, out var documented))
            return [$"{op}: status {answer.Status} is not documented ({answer})"];
        var differences = new List<string>();
        foreach (var (name, header) in documented["headers"]?.AsObject() ?? [])
        {
            if (api.Resolve(header!)["required"]?.GetValue<bool>() == true && !answer.Headers.ContainsKey(name))
                differences.Add($"{op} {answer.Status}: no {name} header");
        }
        var content = documented["content"]?.AsObject();
        if (content is null)
        {
            if (answer.Text.Length > 0)
                differences.Add($"{op} {answer.Status}: a body where none is documented ({answer})");
            return differences;
        }
        if (answer.MediaType is null || content[answer.MediaType] is not { } media)
        {
            differences.Add($"{op} {answer.Status}: media type {answer.MediaType} is not documented");
            return differences;
        }
        // A page or a stylesheet is text: its schema is "a string", and it must not be empty.
        if (!answer.MediaType.EndsWith("json", StringComparison.Ordinal))
        {
            if (answer.Text.Length == 0)
                differences.Add($"{op} {answer.Status}: an empty {answer.MediaType} body");
            return differences;
        }
        if (api.Check(media["schema"]!, answer.Json) is { } problem)
            differences.Add($"{op} {answer.Status}: the body breaks its schema: {problem}\n{answer}");
        return differences;
    }
}
