using System.Text.Json;
using System.Text.RegularExpressions;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// Reads compiled ARM JSON (bicep build): each module is a nested deployment with its template inline, and a value is
/// either a literal or an expression string "[...]".
/// </summary>
public sealed partial class ArmTemplate(JsonElement root)
{
    public JsonElement Root => root;

    public IEnumerable<JsonElement> Resources =>
        root.GetProperty("resources") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray()
            : root.GetProperty("resources").EnumerateObject().Select(p => p.Value);

    public IEnumerable<JsonElement> ResourcesOfType(string type) =>
        Resources.Where(r => r.GetProperty("type").GetString() == type);

    public static async Task<ArmTemplate> MainAsync() => new(await BicepCli.MainTemplateAsync());

    /// <summary>The module deployed under this name (the <c>name:</c> of a <c>module</c> in main.bicep).</summary>
    public JsonElement Deployment(string name) =>
        ResourcesOfType("Microsoft.Resources/deployments").Single(r => r.GetProperty("name").GetString() == name);

    public ArmTemplate Module(string name) => new(Deployment(name).GetProperty("properties").GetProperty("template"));

    /// <summary>
    /// What main.bicep passes to a module's parameter, variables resolved. A conditional argument compiles to one
    /// expression string for the whole parameter; it is returned as it is.
    /// </summary>
    public JsonElement Argument(string module, string parameter)
    {
        var argument = Deployment(module).GetProperty("properties").GetProperty("parameters").GetProperty(parameter);
        return argument.ValueKind == JsonValueKind.String ? argument : Resolve(argument.GetProperty("value"));
    }

    /// <summary>The names an argument holds: array items (variables resolved) or an expression's literals.</summary>
    public IEnumerable<string> Names(JsonElement argument) =>
        argument.ValueKind == JsonValueKind.Array
            ? argument.EnumerateArray().Select(item => Resolve(item).GetString()!)
            : Literals(argument.GetString()!);

    public JsonElement Variable(string name) => root.GetProperty("variables").GetProperty(name);

    public JsonElement Parameters => root.GetProperty("parameters");

    /// <summary>"[variables('x')]" becomes x's value; anything else stays as it is.</summary>
    public JsonElement Resolve(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && VariableReference().Match(value.GetString()!) is { Success: true } m
            ? Variable(m.Groups[1].Value)
            : value;

    /// <summary>Every 'quoted' literal of an expression, e.g. table names in if(…, createArray(…), …).</summary>
    public static IEnumerable<string> Literals(string expression) =>
        Quoted().Matches(expression).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();
}

/// <summary>functions.metadata: what the Functions host will run (the Worker SDK writes it at build).</summary>
public static class FunctionsMetadata
{
    public static IReadOnlyList<JsonElement> Load()
    {
        // Same configuration as this test build (Debug or Release).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))
            .Parent!
            .Name;
        var path = Path.Combine(
            AzuriteFixture.RepoRoot,
            "functions",
            "bin",
            configuration,
            "net10.0",
            "functions.metadata"
        );
        Assert.True(File.Exists(path), $"{path} is missing: the Functions project did not build with the Worker SDK.");
        return [.. JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone().EnumerateArray()];
    }

    public static string Name(JsonElement function) => function.GetProperty("name").GetString()!;

    public static JsonElement Trigger(JsonElement function) =>
        function
            .GetProperty("bindings")
            .EnumerateArray()
            .Single(b =>
                b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger")
            );

    public static string TriggerType(JsonElement function) => Trigger(function).GetProperty("type").GetString()!;
}

/// <summary>local.settings.sample.json: Values (what a local run sets), Comments (what each setting means).</summary>
public sealed record SampleSettings(IReadOnlyDictionary<string, string> Values, IReadOnlySet<string> Documented)
{
    public static SampleSettings Load()
    {
        using var sample = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "local.settings.sample.json"))
        );
        var values = sample
            .RootElement.GetProperty("Values")
            .EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        var comments = sample.RootElement.GetProperty("Comments").EnumerateObject().Select(p => p.Name).ToHashSet();
        return new SampleSettings(values, comments);
    }
}
