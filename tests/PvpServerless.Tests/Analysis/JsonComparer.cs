using System.Text.Json.Nodes;

namespace PvpServerless.Tests.Analysis;

/// <summary>
/// Compares our outcomes.json with R's, field by field: numbers to 1e-6 relative (p-values 1e-6 absolute), null where
/// R gives null, the same names and array lengths. Returns every difference with its path.
/// </summary>
internal static class JsonComparer
{
    private static readonly HashSet<string> PValues = ["p", "fisherP"];

    public static List<string> Differences(
        JsonNode? expected,
        JsonNode? actual,
        string path = "$",
        ISet<string>? skip = null
    )
    {
        var found = new List<string>();
        Compare(expected, actual, path, skip ?? new HashSet<string>(), found);
        return found;
    }

    private static void Compare(
        JsonNode? expected,
        JsonNode? actual,
        string path,
        ISet<string> skip,
        List<string> found
    )
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (null, _):
                found.Add($"{path}: expected null, got {actual!.ToJsonString()}");
                return;
            case (_, null):
                found.Add($"{path}: expected {expected.ToJsonString()}, got null");
                return;
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)).Where(n => !skip.Contains(n)))
                {
                    if (!e.ContainsKey(name))
                        found.Add($"{path}.{name}: not in R's output");
                    else if (!a.ContainsKey(name))
                        found.Add($"{path}.{name}: missing");
                    else
                        Compare(e[name], a[name], $"{path}.{name}", skip, found);
                }
                return;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                    found.Add($"{path}: expected {e.Count} items, got {a.Count}");
                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                    Compare(e[i], a[i], $"{path}[{i}]", skip, found);
                return;
            case (JsonValue e, JsonValue a) when e.TryGetValue<double>(out var x) && a.TryGetValue<double>(out var y):
                var field = path[(path.LastIndexOf('.') + 1)..];
                var ok = PValues.Contains(field)
                    ? Math.Abs(x - y) <= 1e-6
                    : Math.Abs(x - y) <= 1e-6 * Math.Max(Math.Abs(x), Math.Abs(y)) + 1e-12;
                if (!ok)
                    found.Add($"{path}: expected {x:R}, got {y:R}");
                return;
            default:
                if (expected.ToJsonString() != actual.ToJsonString())
                {
                    found.Add($"{path}: expected {expected.ToJsonString()}, got {actual.ToJsonString()}");
                }
                return;
        }
    }
}
