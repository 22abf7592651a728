using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.YamlReader;
using PvpServerless.Tests.Infrastructure;
using SharpYaml.Serialization;

namespace PvpServerless.Tests.OpenApi;

/// <summary>
/// docs/openapi.yaml read as plain JSON: its operations, their parameters, examples and responses, with local
/// <c>$ref</c>s followed, and its schemas turned into JSON Schema 2020-12 validators (OpenAPI 3.1's dialect).
/// </summary>
public sealed class ApiDescription
{
    public static readonly string FilePath = Path.Combine(AzuriteFixture.RepoRoot, "docs", "openapi.yaml");

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private ApiDescription(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public static ApiDescription Load() => Parse(File.ReadAllText(FilePath));

    public static ApiDescription Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new ApiDescription((JsonObject)WithNulls(stream.Documents.Single().ToJsonNode())!);
    }

    /// <summary>Every operation in document order.</summary>
    public IReadOnlyList<ApiOperation> Operations =>
        [
            .. Root["paths"]!
                .AsObject()
                .SelectMany(path =>
                    path.Value!.AsObject()
                        .Where(m => Methods.Contains(m.Key))
                        .Select(m => new ApiOperation(this, path.Key, m.Key.ToUpperInvariant(), m.Value!.AsObject()))
                ),
        ];

    public ApiOperation Operation(string operationId) =>
        Operations.SingleOrDefault(o => o.Id == operationId)
        ?? throw new InvalidOperationException($"docs/openapi.yaml has no operation {operationId}.");

    /// <summary>The object a local <c>$ref</c> points to (parameter, response, example), or the node.</summary>
    public JsonObject Resolve(JsonNode node)
    {
        var current = node.AsObject();
        for (var hops = 0; current["$ref"] is { } reference && hops < 10; hops++)
            current = At(reference.GetValue<string>());
        return current;
    }

    private JsonObject At(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new InvalidOperationException($"Only local references are used here, not {reference}.");
        JsonNode node = Root;
        foreach (var part in reference[2..].Split('/'))
        {
            var name = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node[name] ?? throw new InvalidOperationException($"{reference} points nowhere.");
        }
        return node.AsObject();
    }

    /// <summary>
    /// A validator for <paramref name="schema"/>: the schema with every component schema beside it under
    /// <c>$defs</c>, so that its <c>#/components/schemas/…</c> references resolve.
    /// </summary>
    public JsonSchema Schema(JsonNode schema)
    {
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = LocalRefs(Root["components"]!["schemas"]!.DeepClone()),
            ["allOf"] = new JsonArray(LocalRefs(schema.DeepClone())),
        };
        using var json = JsonDocument.Parse(document.ToJsonString());
        var id = new Uri($"https://pvp.test/openapi/{Guid.NewGuid():N}");
        return JsonSchema.Build(json.RootElement.Clone(), new BuildOptions(), id);
    }

    /// <summary>Null when <paramref name="instance"/> is valid, else the validator's findings.</summary>
    public string? Check(JsonNode schema, JsonNode? instance)
    {
        using var json = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var results = Schema(schema)
            .Evaluate(
                json.RootElement,
                new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true }
            );
        if (results.IsValid)
            return null;
        var findings = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"at '{d.InstanceLocation}': {string.Join("; ", d.Errors!.Select(e => e.Value))}")
            .ToList();
        return findings.Count > 0 ? string.Join("\n", findings) : JsonSerializer.Serialize(results);
    }

    private static JsonNode LocalRefs(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key == "$ref" && value!.GetValue<string>() is var r && r.StartsWith("#/components/schemas/"))
                        o[key] = "#/$defs/" + r["#/components/schemas/".Length..];
                    else if (value is not null)
                        LocalRefs(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a.OfType<JsonNode>())
                    LocalRefs(item);
                break;
        }
        return node;
    }

    // The YAML converter writes null as a sentinel string (for the OpenAPI object model); examples need real nulls.
    private static JsonNode? WithNulls(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonValue v when v.IsJsonNullSentinel() => null,
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, WithNulls(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(WithNulls)]),
            _ => node.DeepClone(),
        };
}

/// <summary>One operation of the document: a path template and a method.</summary>
public sealed record ApiOperation(ApiDescription Description, string Path, string Method, JsonObject Node)
{
    public string Id => Node["operationId"]!.GetValue<string>();

    public override string ToString() => $"{Method} {Path} ({Id})";

    public bool LocalHostOnly => Node["x-pvp-local-host-only"]?.GetValue<bool>() == true;

    /// <summary>
    /// The key's role its security schemes name (<c>coordinatorKey</c> → coordinator); <c>anonymous</c> for
    /// <c>security: []</c> (a survey page, the webhook).
    /// </summary>
    public string KeyRole =>
        Node["security"]!.AsArray().Count == 0
            ? "anonymous"
            : Node["security"]!
                .AsArray()
                .SelectMany(r => r!.AsObject().Select(s => s.Key))
                .Select(s => s.EndsWith("Key", StringComparison.Ordinal) ? s[..^3] : s[..^4])
                .Distinct()
                .Single();

    /// <summary>The largest body the operation reads: <c>x-pvp-max-body-bytes</c>, else the API's 64 KiB.</summary>
    public int MaxBodyBytes =>
        Node["x-pvp-max-body-bytes"] is { } limit
            ? int.Parse(limit.ToString(), System.Globalization.CultureInfo.InvariantCulture)
            : 64 * 1024;

    /// <summary>Who signs the operation's requests instead of a key (<c>x-pvp-signed-by</c>), if anyone.</summary>
    public string? SignedBy => Node["x-pvp-signed-by"]?.GetValue<string>();

    public IReadOnlyList<JsonObject> Parameters =>
        [.. (Node["parameters"]?.AsArray() ?? []).Select(p => Description.Resolve(p!))];

    /// <summary>The body's media type: JSON, or (the opt-out page's button) an HTML form.</summary>
    public string? RequestMediaType => Node["requestBody"]?["content"]?.AsObject().Select(c => c.Key).SingleOrDefault();

    public JsonObject? RequestMedia =>
        RequestMediaType is { } type ? Node["requestBody"]!["content"]![type]!.AsObject() : null;

    /// <summary>The named request examples in document order (none for an operation without a body).</summary>
    public IReadOnlyList<(string Name, JsonNode? Value)> RequestExamples =>
        [.. (RequestMedia?["examples"]?.AsObject() ?? []).Select(e => (e.Key, Description.Resolve(e.Value!)["value"]))];

    /// <summary>Each documented status with its response object (references followed).</summary>
    public IReadOnlyDictionary<int, JsonObject> Responses =>
        Node["responses"]!.AsObject().ToDictionary(r => int.Parse(r.Key), r => Description.Resolve(r.Value!));

    /// <summary>The request path with each path parameter's example (or override), and the query parameters'.</summary>
    public string ExamplePath(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var path = Path;
        var query = new List<string>();
        foreach (var p in Parameters)
        {
            var name = p["name"]!.GetValue<string>();
            var value = overrides?.GetValueOrDefault(name) ?? Text(p["example"]);
            if (value is null)
                continue;
            if (p["in"]!.GetValue<string>() == "path")
                path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            else if (p["in"]!.GetValue<string>() == "query")
                query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>Header parameters with an example.</summary>
    public IEnumerable<(string Name, string Value)> ExampleHeaders =>
        Parameters
            .Where(p => p["in"]!.GetValue<string>() == "header" && p["example"] is not null)
            .Select(p => (p["name"]!.GetValue<string>(), Text(p["example"])!));

    private static string? Text(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => node.ToJsonString(),
        };
}
