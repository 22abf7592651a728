using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// Invalid JSON bodies made from a valid one: malformed text, random documents, deep nesting, a value of the wrong
/// JSON type, an unknown field, invalid UTF-8, a body past the limit. Every one of them must be refused.
/// </summary>
public static class HostileJson
{
    /// <summary>Each body with what it breaks, e.g. <c>wrong type at complications[0].type</c>.</summary>
    public static Gen<(string Kind, byte[] Body)> Invalid(JsonNode example, int maxBodyBytes, bool unknownFieldsRefused)
    {
        var text = example.ToJsonString();
        var cases = new List<Gen<(string, byte[])>>
        {
            Gen.Choose(0, text.Length - 1).Select(n => ("truncated JSON", Utf8(text[..n]))),
            Gen.Elements("{", "}", "]", ",", "\"", ":", "\u0000", "NaN", "//x", "'a'", "\\")
                .Select(g => ("malformed JSON", Utf8(text[..1] + g + text[1..]))),
            Scalar
                .Where(s => s?.GetValueKind() != example.GetValueKind())
                .Select(s => ("a bare value, not the documented root", Utf8(s?.ToJsonString() ?? "null"))),
            Gen.Elements(9, 64, 1000, 20_000).Select(n => ("deep nesting", Utf8(Nest(n, text)))),
            Gen.Choose(0, text.Length - 1)
                .Zip(Gen.Elements(HostileTextBytes))
                .Select(t => ("invalid UTF-8", Splice(text, t.Item1, t.Item2))),
            Gen.Constant(("over the limit", Huge(text, maxBodyBytes))),
        };
        var paths = Paths(example).ToList();
        if (paths.Count > 0)
        {
            cases.Add(
                Gen.Elements(paths.ToArray())
                    .SelectMany(p => WrongKind(p.Node).Select(v => (p, v)))
                    .Select(t => ($"wrong type at {t.p.Path}", Utf8(Replace(example, t.p.Path, t.v))))
            );
            cases.Add(
                Gen.Elements(paths.Where(p => p.Node is JsonArray or JsonObject).ToArray() is { Length: > 0 } nested
                        ? nested
                        : [.. paths])
                    .Select(p => ($"deep nesting at {p.Path}", Utf8(Replace(example, p.Path, Deep(64)))))
            );
        }
        if (unknownFieldsRefused)
        {
            var objects = Objects(example).ToList();
            cases.Add(
                Gen.Elements(objects.ToArray())
                    .Zip(Gen.Elements(HostileText.Pieces).Zip(Scalar))
                    .Select(t =>
                        (
                            $"unknown field in {t.Item1}",
                            Utf8(AddField(example, t.Item1, "x" + t.Item2.Item1, t.Item2.Item2))
                        )
                    )
            );
        }
        return Gen.OneOf(cases);
    }

    /// <summary>Bytes that are never UTF-8: a stray continuation, an overlong slash, a lone surrogate, 0xFF.</summary>
    public static readonly byte[][] HostileTextBytes = [[0xFF], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88]];

    public static readonly Gen<JsonNode?> Scalar = Gen.Elements<JsonNode?>(
        JsonValue.Create(0),
        JsonValue.Create(-1.5e300),
        JsonValue.Create(true),
        JsonValue.Create(""),
        JsonValue.Create("<script>alert(1)</script>"),
        new JsonArray(),
        new JsonArray(JsonValue.Create(1), null),
        null
    );

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A body past the limit: the example with a long extra field (or item, for an array).</summary>
    public static byte[] Huge(string text, int limit)
    {
        var padding = new string('x', limit + 16);
        var first = text.StartsWith('[') ? $"[\"{padding}\"," : $"{{\"padding\":\"{padding}\",";
        return Utf8(first + text[1..]);
    }

    private static string Nest(int depth, string inner) =>
        new StringBuilder(depth * 2 + inner.Length)
            .Append('[', depth)
            .Append(inner)
            .Append(']', depth)
            .ToString();

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
            node = new JsonArray(node);
        return node;
    }

    private static byte[] Splice(string text, int at, byte[] bytes)
    {
        // Inside a string value where there is one: the bytes then are text the parser must refuse, not syntax.
        var quote = text.IndexOf('"', at);
        var position = quote >= 0 ? quote + 1 : at;
        return [.. Utf8(text[..position]), .. bytes, .. Utf8(text[position..])];
    }

    /// <summary>A value of another JSON type than <paramref name="node"/>'s that no reader turns into it.</summary>
    private static Gen<JsonNode?> WrongKind(JsonNode? node) =>
        node switch
        {
            JsonObject => Gen.Elements<JsonNode?>(JsonValue.Create("x"), JsonValue.Create(1), new JsonArray()),
            JsonArray => Gen.Elements<JsonNode?>(JsonValue.Create("x"), JsonValue.Create(1), new JsonObject()),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => Gen.Elements<JsonNode?>(
                JsonValue.Create(12345),
                JsonValue.Create(true),
                new JsonObject { ["a"] = 1 },
                new JsonArray(JsonValue.Create("x"))
            ),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => Gen.Elements<JsonNode?>(
                JsonValue.Create("twelve"),
                JsonValue.Create(false),
                new JsonObject(),
                new JsonArray(JsonValue.Create(1))
            ),
            _ => Gen.Elements<JsonNode?>(JsonValue.Create("x"), JsonValue.Create(7), new JsonObject()),
        };

    /// <summary>Every value below the root (not null ones: null may be the valid "absent") with its path.</summary>
    public static IEnumerable<(string Path, JsonNode Node)> Paths(JsonNode node)
    {
        foreach (var (path, child) in Children(node))
        {
            if (child is null)
                continue;
            yield return (path, child);
            foreach (var (inner, grandchild) in Paths(child))
                yield return ($"{path}{(inner.StartsWith('[') ? "" : ".")}{inner}", grandchild);
        }
    }

    private static IEnumerable<string> Objects(JsonNode node) =>
        (node is JsonObject ? [""] : Array.Empty<string>()).Concat(
            Paths(node).Where(p => p.Node is JsonObject).Select(p => p.Path)
        );

    private static IEnumerable<(string, JsonNode?)> Children(JsonNode node) =>
        node switch
        {
            JsonObject o => o.Select(p => (p.Key, p.Value)),
            JsonArray a => a.Select((v, i) => ($"[{i}]", v)),
            _ => [],
        };

    private static string Replace(JsonNode example, string path, JsonNode? value)
    {
        var copy = example.DeepClone();
        var (parent, last) = Parent(copy, path);
        if (parent is JsonObject o)
            o[last] = value?.DeepClone();
        else if (parent is JsonArray a)
            a[int.Parse(last.Trim('[', ']'), System.Globalization.CultureInfo.InvariantCulture)] = value?.DeepClone();
        return copy.ToJsonString();
    }

    private static string AddField(JsonNode example, string path, string name, JsonNode? value)
    {
        var copy = example.DeepClone();
        var target = path.Length == 0 ? copy : Find(copy, path);
        target!.AsObject()[name] = value?.DeepClone();
        return copy.ToJsonString();
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string path)
    {
        var steps = Steps(path);
        var node = root;
        foreach (var step in steps[..^1])
            node = Step(node, step);
        return (node, steps[^1]);
    }

    private static JsonNode Find(JsonNode root, string path) => Steps(path).Aggregate(root, Step);

    private static JsonNode Step(JsonNode node, string step) =>
        step.StartsWith('[')
            ? node.AsArray()[int.Parse(step.Trim('[', ']'), System.Globalization.CultureInfo.InvariantCulture)]!
            : node.AsObject()[step]!;

    // "a.b[0].c" → a, b, [0], c
    private static string[] Steps(string path) =>
        path.Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);
}
