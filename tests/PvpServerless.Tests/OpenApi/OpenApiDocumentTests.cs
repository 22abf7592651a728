using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using PvpServerless.Functions;
using PvpServerless.LocalHost;

namespace PvpServerless.Tests.OpenApi;

/// <summary>
/// docs/openapi.yaml against the code without running it: a valid OpenAPI 3.1 document, every HTTP function the
/// host will route in it under its route and method, every example valid against its own schema.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly ApiDescription Api = ApiDescription.Load();

    // {times:int}, {*rest}, {name?} in a route template name the parameter {times}, {rest}, {name}.
    [GeneratedRegex(@"\{\**([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public void The_document_is_valid_OpenAPI_3_1()
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        var (document, diagnostic) = OpenApiDocument.Parse(File.ReadAllText(ApiDescription.FilePath), "yaml", settings);

        Assert.NotNull(diagnostic);
        var findings = diagnostic.Errors.Concat(diagnostic.Warnings).ToList();
        Assert.True(findings.Count == 0, string.Join("\n", findings.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.NotNull(document);
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Equal(Api.Operations.Count, document.Paths.Sum(p => p.Value.Operations?.Count ?? 0));
    }

    [Fact]
    public void Every_HTTP_function_is_documented_under_its_route_and_method_and_nothing_else_is()
    {
        var discovered = FunctionCatalog
            .Discover([typeof(FunctionServices).Assembly])
            .Where(f => f.Trigger is Trigger.Http)
            .SelectMany(f =>
            {
                var http = (Trigger.Http)f.Trigger;
                var path = "/api/" + RouteParameter().Replace(http.Route.TrimStart('/'), "{$1}");
                return http.Methods.Select(m => $"{m} {path} {f.Name}");
            });
        // The local host's admin route is no function: the example tests send it to the running host instead.
        var documented = Api.Operations.Where(o => !o.LocalHostOnly).Select(o => $"{o.Method} {o.Path} {o.Id}");

        Assert.Equal(discovered.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_example_is_valid_against_its_schema()
    {
        var failures = new List<string>();
        var checkedCount = 0;
        void Check(string where, JsonNode? schema, JsonNode? example)
        {
            checkedCount++;
            if (schema is null)
                failures.Add($"{where}: an example without a schema");
            else if (Api.Check(schema, example) is { } problem)
                failures.Add($"{where}: {problem}");
        }

        foreach (var op in Api.Operations)
        {
            foreach (var p in op.Parameters.Where(p => p["example"] is not null))
                Check($"{op} parameter {p["name"]}", p["schema"], p["example"]);
            if (op.RequestMedia is { } request)
            {
                foreach (var (name, value) in op.RequestExamples)
                    Check($"{op} request example {name}", request["schema"], value);
            }
            foreach (var (status, response) in op.Responses)
            {
                foreach (var (header, definition) in response["headers"]?.AsObject() ?? [])
                {
                    if (Api.Resolve(definition!) is { } h && h["example"] is { } example)
                        Check($"{op} {status} header {header}", h["schema"], example);
                }
                foreach (var (media, content) in response["content"]?.AsObject() ?? [])
                {
                    foreach (var (name, example) in content!["examples"]?.AsObject() ?? [])
                        Check(
                            $"{op} {status} {media} example {name}",
                            content["schema"],
                            Api.Resolve(example!)["value"]
                        );
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(checkedCount > 40, $"Only {checkedCount} examples were found: is the document read whole?");
    }

    [Fact]
    public void An_example_that_breaks_its_schema_is_caught()
    {
        // The check above must be able to fail: an unknown field, a missing field, a bad enum value.
        var schema = Api.Operation("EnrolPatient").RequestMedia!["schema"];
        var example = Api.Operation("EnrolPatient").RequestExamples[0].Value!.AsObject();
        Assert.Null(Api.Check(schema!, example));

        var unknown = example.DeepClone().AsObject();
        unknown["middleName"] = "Ib";
        Assert.NotNull(Api.Check(schema!, unknown));
        var missing = example.DeepClone().AsObject();
        missing.Remove("procedureDate");
        Assert.NotNull(Api.Check(schema!, missing));
        var wrong = example.DeepClone().AsObject();
        wrong["primaryMalignancy"] = "myeloma";
        Assert.NotNull(Api.Check(schema!, wrong));
    }

    [Fact]
    public void Every_operation_names_its_key_and_its_error_answers()
    {
        string[] roles = ["coordinator", "researcher", "master"];
        foreach (var op in Api.Operations)
        {
            if (op.KeyRole == "anonymous")
            {
                // No key, on purpose and said why: a patient's link or a signed post is the credential.
                Assert.True(
                    op.Node["x-pvp-anonymous"]?.GetValue<string>() is { Length: > 10 },
                    $"{op} has security: [] but no x-pvp-anonymous saying why."
                );
                continue;
            }
            Assert.Contains(op.KeyRole, roles);
            var schemes = op.Node["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key));
            Assert.Equal([op.KeyRole + "Code", op.KeyRole + "Key"], schemes.Order(StringComparer.Ordinal));
            Assert.True(op.Responses.ContainsKey(401), $"{op} does not document 401 (no or wrong key).");
            if (op.RequestMedia is not null && !op.LocalHostOnly)
            {
                Assert.True(op.Responses.ContainsKey(400), $"{op} takes a body but documents no 400.");
                Assert.True(op.Responses.ContainsKey(413), $"{op} takes a body but documents no 413.");
            }
        }
    }

    [Fact]
    public void Request_schemas_refuse_unknown_fields_as_the_API_does()
    {
        // A body another system defines (SendGrid's events) carries fields we ignore: x-pvp-body-owner says whose.
        foreach (var op in Api.Operations.Where(o => o.RequestMedia is not null && o.Node["x-pvp-body-owner"] is null))
        {
            foreach (var (where, schema) in Objects(op.RequestMedia!["schema"]!, op.ToString(), []))
            {
                Assert.True(
                    schema["additionalProperties"]?.GetValue<bool>() == false,
                    $"{where} lists properties but does not say additionalProperties: false."
                );
            }
        }
    }

    /// <summary>Every <c>type: object</c> schema reachable from <paramref name="node"/>, references followed.</summary>
    private static IEnumerable<(string Where, JsonObject Schema)> Objects(
        JsonNode node,
        string where,
        HashSet<string> seen
    )
    {
        if (node is JsonArray array)
        {
            foreach (var item in array.OfType<JsonNode>().SelectMany(i => Objects(i, where, seen)))
                yield return item;
            yield break;
        }
        if (node is not JsonObject o)
            yield break;
        if (o["$ref"]?.GetValue<string>() is { } reference)
        {
            if (seen.Add(reference))
            {
                foreach (var item in Objects(Api.Resolve(o), reference, seen))
                    yield return item;
            }
            yield break;
        }
        if (o["type"]?.ToJsonString() == "\"object\"")
            yield return (where, o);
        foreach (var (key, value) in o)
        {
            if (value is not null && key is not ("examples" or "enum" or "const" or "default" or "required"))
            {
                foreach (var item in Objects(value, $"{where}/{key}", seen))
                    yield return item;
            }
        }
    }
}
