using System.Net.Http.Headers;
using System.Text;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// One generated request: what it attacks (<see cref="Kind"/>), the raw path and query (already percent-encoded, so
/// that invalid UTF-8 and encoded traversal reach the host as written), headers, and a raw body.
/// </summary>
public sealed record HostileRequest(
    string Kind,
    string Method,
    string PathAndQuery,
    byte[]? Body = null,
    string? ContentType = null,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    bool Chunked = false
)
{
    /// <summary>False only for what may be ignored (an unknown query on a static page): then any 2xx-4xx.</summary>
    public bool MustRefuse { get; init; } = true;

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        foreach (var (name, value) in Headers ?? [])
            message.Headers.TryAddWithoutValidation(name, value);
        if (Body is null)
            return message;
        HttpContent content = Chunked ? new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
        if (ContentType is not null)
            content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        if (Chunked)
            message.Headers.TransferEncodingChunked = true;
        else
            content.Headers.ContentLength = Body.Length;
        message.Content = content;
        return message;
    }

    /// <summary>Short enough to read in a failure message: the body's first bytes, escaped.</summary>
    public override string ToString()
    {
        var body = Body is null ? "(no body)" : $"{Body.Length} bytes {Preview(Body)}";
        var headers = string.Join("; ", (Headers ?? []).Select(h => $"{h.Key}: {Cut(h.Value, 60)}"));
        return $"[{Kind}] {Method} {Cut(PathAndQuery, 200)} ct={ContentType ?? "-"} {headers} {body}";
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 160));
        return Cut(new string([.. text.Select(c => char.IsControl(c) ? '·' : c)]), 160);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

/// <summary>What came back: status, media type, body text, or that it did not come back in time.</summary>
public sealed record HostileAnswer(int Status, string? MediaType, string Text, bool TimedOut)
{
    public override string ToString() =>
        TimedOut ? "no answer in time" : $"{Status} {MediaType} {Text[..Math.Min(Text.Length, 300)]}";

    public static async Task<HostileAnswer> SendAsync(
        HttpClient client,
        HostileRequest request,
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var message = request.ToMessage();
        try
        {
            using var response = await client.SendAsync(message, bounded.Token);
            var text = await response.Content.ReadAsStringAsync(bounded.Token);
            var media = response.Content.Headers.ContentType?.MediaType;
            return new HostileAnswer((int)response.StatusCode, media, text, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HostileAnswer(0, null, "", true);
        }
    }
}

/// <summary>The two request media types the API documents.</summary>
internal static class Media
{
    public const string Json = "application/json";
    public const string Form = "application/x-www-form-urlencoded";
}
