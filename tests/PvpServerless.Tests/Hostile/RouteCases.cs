using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using PvpServerless.Email;
using PvpServerless.Tests.OpenApi;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// The hostile requests for one documented operation, made from its documentation (docs/openapi.yaml): its path,
/// query and header parameters with their examples, its first request example, its body limit, its key, and who signs
/// its posts. A new route is covered as soon as it is documented. Every request breaks exactly one thing of a request
/// that would otherwise reach the route's own code (the right key, the other values as documented).
/// </summary>
public sealed class RouteCases(ApiOperation op, string? key, Func<string, IReadOnlyDictionary<string, string>> sign)
{
    /// <summary>
    /// Query parameters a route documents as ignored when they are unknown (a page's language, the dashboard's notice).
    /// </summary>
    private static readonly string[] Lenient = ["lang", "notice"];

    private static readonly string[] OddQueryValues =
    [
        "-1",
        "0",
        "99999999999",
        "1.5",
        "1e3",
        "abc",
        "0x10",
        "\u0663",
        "2026-02-30",
        "30-04-2026",
        "2026-04-30T00:00:00Z",
        "eyJwayI6IlBWUC0wMDQyIiwicmsiOiJwYXRpZW50In0",
        "bnVsbA==",
    ];

    private static readonly string[] WrongJsonContentTypes =
    [
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "text/html; charset=utf-8",
    ];

    private IReadOnlyList<JsonObject> PathParameters => [.. op.Parameters.Where(p => In(p, "path"))];

    private IReadOnlyList<JsonObject> QueryParameters =>
        [.. op.Parameters.Where(p => In(p, "query") && !Lenient.Contains(Name(p)))];

    private IReadOnlyList<JsonObject> HeaderParameters =>
        [.. op.Parameters.Where(p => In(p, "header") && p["example"] is not null)];

    public Gen<HostileRequest> All()
    {
        var cases = new List<Gen<HostileRequest>>();
        if (PathParameters.Count > 0)
            cases.Add(HostilePath());
        if (QueryParameters.Count > 0)
            cases.Add(HostileQuery());
        if (HeaderParameters.Count > 0)
            cases.Add(HostileHeader());
        if (op.RequestMediaType == Media.Json)
        {
            cases.Add(HostileJsonBody());
            cases.Add(WrongContentType());
        }
        if (op.RequestMediaType == Media.Form)
            cases.Add(HostileForm());
        if (op.SignedBy is not null)
            cases.Add(ForgedSignature());
        // A static resource (no input of its own): odd queries and a body where none belongs may be ignored.
        if (cases.Count == 0)
            cases.Add(Ignorable());
        return Gen.OneOf(cases);
    }

    private Gen<HostileRequest> HostilePath() =>
        Gen.Elements(PathParameters.ToArray())
            .SelectMany(p => HostileText.Encoded(HostileText.Around(Example(p) ?? "x")).Select(v => (p, v)))
            .Select(t => Request($"path {Name(t.p)}", path: new() { [Name(t.p)] = t.v }));

    private Gen<HostileRequest> HostileQuery() =>
        Gen.Elements(QueryParameters.ToArray())
            .SelectMany(p =>
                Gen.OneOf(
                        HostileText.Encoded(HostileText.Around(Example(p) ?? "")),
                        Gen.Elements(OddQueryValues).Select(HostileText.Escape),
                        Gen.Constant(HostileText.Escape(Example(p) ?? "1") + "&" + Name(p) + "=" + "2")
                    )
                    .Select(v => (p, v))
            )
            .Select(t => Request($"query {Name(t.p)}", query: new() { [Name(t.p)] = t.v }));

    // Header values go out as written: only printable ASCII (a client cannot send the rest).
    private Gen<HostileRequest> HostileHeader() =>
        Gen.Elements(HeaderParameters.ToArray())
            .SelectMany(p =>
                Gen.Elements(HostileText.Pieces.Where(s => s.All(c => c is >= ' ' and <= '~')).ToArray())
                    .Select(piece => (p, Example(p) + piece))
            )
            .Select(t => Request($"header {Name(t.p)}", headers: new() { [Name(t.p)] = t.Item2 }));

    /// <summary>
    /// Broken JSON. A body another system owns (SendGrid's events, <c>x-pvp-body-owner</c>) is read leniently inside:
    /// an event with a field of an odd type is ignored, not refused (a refused batch would be sent again for ever), so
    /// there only the syntax must be refused; the rest must still answer and store nothing new.
    /// </summary>
    private Gen<HostileRequest> HostileJsonBody()
    {
        var owned = op.Node["x-pvp-body-owner"] is not null;
        return HostileJson
            .Invalid(ExampleBody!, op.MaxBodyBytes, unknownFieldsRefused: !owned)
            .Zip(Gen.Elements(false, true))
            .Select(t =>
                Request(t.Item1.Kind, body: t.Item1.Body, chunked: t.Item2) with
                {
                    MustRefuse = !owned || !Inside(t.Item1.Kind),
                }
            );
    }

    private static bool Inside(string kind) =>
        kind.StartsWith("wrong type", StringComparison.Ordinal)
        || kind.StartsWith("deep nesting at", StringComparison.Ordinal);

    private Gen<HostileRequest> WrongContentType() =>
        Gen.Elements(WrongJsonContentTypes)
            .Select(type =>
                Request($"content type {type}", body: HostileJson.Utf8(ExampleBody!.ToJsonString()), contentType: type)
            );

    /// <summary>The form of a patient page (its example holds a valid check), broken in one way.</summary>
    private Gen<HostileRequest> HostileForm()
    {
        var fields = ExampleBody!
            .AsObject()
            .Select(f => KeyValuePair.Create(f.Key, f.Value?.ToString() ?? ""))
            .ToList();
        var answers = fields.Where(f => f.Key != "check").Select(f => f.Key).ToArray();
        var cases = new List<Gen<FormCase>>
        {
            Gen.Constant(new FormCase("check missing", Form(fields, drop: "check"))),
            Gen.Elements("", "AAAA", Altered(Check(fields)), "<script>alert(1)</script>")
                .Select(c => new FormCase("check wrong", Form(fields, set: ("check", c)))),
            Gen.Elements(HostileText.Pieces)
                .Select(p => new FormCase("unknown field", Form([.. fields, KeyValuePair.Create("x" + p, "1")]))),
            Gen.Constant(new FormCase("field twice", Form([.. fields, fields[^1]]))),
            Gen.Elements("%FF", "%C0%AF", "%ED%A0%80", "%", "%G1")
                .Select(b => new FormCase("invalid encoding", Form(fields) + "&check=" + b)),
            Gen.Elements(Media.Json, "text/plain", "multipart/form-data; boundary=x", "")
                .Select(t => new FormCase("content type " + t, Form(fields), Type: t)),
            Gen.Elements("https://evil.example", "null", "http://127.0.0.1.evil.example")
                .Select(o => new FormCase("cross-site origin", Form(fields), Origin: o)),
            Gen.Elements("&&&", "=", "%%%", "a=b=c", "check").Select(g => new FormCase("not a form", g)),
            Gen.Constant(new FormCase("over the limit", Form(fields) + "&" + new string('x', op.MaxBodyBytes))),
        };
        if (answers.Length > 0)
        {
            cases.Add(
                Gen.Elements(answers)
                    .Zip(Gen.Elements("9", "-1", "1.5", "x", "<script>alert(1)</script>", "\u0663", "101"))
                    .Select(t => new FormCase($"answer {t.Item1} out of range", Form(fields, set: t)))
            );
        }
        return Gen.OneOf(cases)
            .Select(c =>
                Request(
                    c.Kind,
                    body: Encoding.UTF8.GetBytes(c.Form),
                    contentType: c.Type,
                    headers: c.Origin is null ? null : new() { ["Origin"] = c.Origin }
                )
            );
    }

    /// <summary>A broken form: its media type ("" for none) and the Origin a browser would say it came from.</summary>
    private sealed record FormCase(string Kind, string Form, string Type = Media.Form, string? Origin = null);

    /// <summary>SendGrid's post with a signature that is not SendGrid's (the body is the documented one).</summary>
    private Gen<HostileRequest> ForgedSignature()
    {
        var text = ExampleBody!.ToJsonString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var random = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 70).Select(Convert.ToBase64String);
        return Gen.OneOf(
            Gen.Constant(Forged("no signature", text, null, null)),
            random.Select(s => Forged("random signature", text, s, now)),
            Gen.Elements("not base64!", "", "MEUCIQ==", new string('A', 4000))
                .Select(s => Forged("malformed signature", text, s, now)),
            Gen.Elements("", "abc", "-1", "99999999999999999999", "1e9")
                .Select(t => Forged("odd timestamp", text, Signed(text)[SendGridWebhookVerifier.SignatureHeader], t)),
            Gen.Choose(1, text.Length - 2)
                .Select(i => Forged("another body's signature", text[..i] + " " + text[i..], Signed(text)))
        );
    }

    private Gen<HostileRequest> Ignorable() =>
        Gen.Elements(HostileText.Pieces)
            .Select(p =>
                Request(
                    "ignorable query and body",
                    query: new() { ["x"] = HostileText.Escape(p) },
                    body: Encoding.UTF8.GetBytes(p)
                ) with
                {
                    MustRefuse = false,
                }
            );

    private HostileRequest Forged(string kind, string body, IReadOnlyDictionary<string, string> headers) =>
        Request(kind, body: Encoding.UTF8.GetBytes(body), headers: new(headers), sign: false);

    private HostileRequest Forged(string kind, string body, string? signature, string? timestamp)
    {
        var headers = new Dictionary<string, string>();
        if (signature is not null)
            headers[SendGridWebhookVerifier.SignatureHeader] = signature;
        if (timestamp is not null)
            headers[SendGridWebhookVerifier.TimestampHeader] = timestamp;
        return Forged(kind, body, headers);
    }

    private IReadOnlyDictionary<string, string> Signed(string text) => sign(text);

    /// <summary>
    /// The documented request with one part replaced: path and query values already encoded, the body as bytes
    /// (the documented example otherwise), signed as SendGrid signs when the route is signed and the body is text.
    /// </summary>
    private HostileRequest Request(
        string kind,
        Dictionary<string, string>? path = null,
        Dictionary<string, string>? query = null,
        Dictionary<string, string>? headers = null,
        byte[]? body = null,
        string? contentType = null,
        bool chunked = false,
        bool sign = true
    )
    {
        var url = op.Path;
        foreach (var p in PathParameters)
        {
            var value = path?.GetValueOrDefault(Name(p)) ?? HostileText.Escape(Example(p) ?? "x");
            url = url.Replace("{" + Name(p) + "}", value, StringComparison.Ordinal);
        }
        var pairs = op.Parameters.Where(p => In(p, "query"))
            .Select(p => (Name(p), query?.GetValueOrDefault(Name(p)) ?? EscapedExample(p)))
            .Concat(Unknown(query).Select(q => (q.Key, (string?)q.Value)))
            .Where(q => q.Item2 is not null)
            .Select(q => $"{q.Item1}={q.Item2}")
            .ToList();
        if (pairs.Count > 0)
            url += "?" + string.Join('&', pairs);
        var all = new List<KeyValuePair<string, string>>();
        if (key is not null)
            all.Add(KeyValuePair.Create("x-functions-key", key));
        foreach (var p in HeaderParameters)
            all.Add(KeyValuePair.Create(Name(p), headers?.GetValueOrDefault(Name(p)) ?? Example(p)!));
        all.AddRange((headers ?? []).Where(h => HeaderParameters.All(p => Name(p) != h.Key)));
        body ??= DefaultBody();
        if (sign && op.SignedBy is not null && body is not null && IsUtf8(body))
            all.AddRange(Signed(Encoding.UTF8.GetString(body)));
        // "" sends no Content-Type at all.
        var type = (contentType ?? op.RequestMediaType) is { Length: > 0 } t ? t : null;
        return new HostileRequest(kind, op.Method, url, body, type, all, chunked);
    }

    private byte[]? DefaultBody() =>
        ExampleBody switch
        {
            null => null,
            JsonNode b when op.RequestMediaType == Media.Form => Encoding.UTF8.GetBytes(
                Form([.. b.AsObject().Select(f => KeyValuePair.Create(f.Key, f.Value?.ToString() ?? ""))])
            ),
            JsonNode b => HostileJson.Utf8(b.ToJsonString()),
        };

    private JsonNode? ExampleBody => op.RequestExamples.Count > 0 ? op.RequestExamples[0].Value : null;

    private static string Form(
        IEnumerable<KeyValuePair<string, string>> fields,
        string? drop = null,
        (string Name, string Value)? set = null
    ) =>
        string.Join(
            '&',
            fields
                .Where(f => f.Key != drop)
                .Select(f => f.Key == set?.Name ? KeyValuePair.Create(f.Key, set.Value.Value) : f)
                .Select(f => $"{HostileText.Escape(f.Key)}={HostileText.Escape(f.Value)}")
        );

    private static string Check(IEnumerable<KeyValuePair<string, string>> fields) =>
        fields.FirstOrDefault(f => f.Key == "check").Value ?? "";

    // The valid check with its last character changed: as near as a forgery gets.
    private static string Altered(string check) =>
        check.Length == 0 ? "A" : check[..^1] + (check[^1] == 'A' ? 'B' : 'A');

    private static bool IsUtf8(byte[] body)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private IEnumerable<KeyValuePair<string, string>> Unknown(Dictionary<string, string>? query) =>
        (query ?? []).Where(q => op.Parameters.All(p => Name(p) != q.Key));

    private static string? EscapedExample(JsonObject p) => Example(p) is { } e ? HostileText.Escape(e) : null;

    private static bool In(JsonObject p, string where) => p["in"]!.GetValue<string>() == where;

    private static string Name(JsonObject p) => p["name"]!.GetValue<string>();

    private static string? Example(JsonObject p) =>
        p["example"] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var n => n.ToJsonString(),
        };
}
