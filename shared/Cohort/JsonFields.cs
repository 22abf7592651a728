using System.Globalization;
using System.Text.Json;

namespace PvpServerless.Cohort;

/// <summary>
/// Strict, path-aware access to one JSON object of the cohort export: unknown or repeated names are refused, every
/// getter checks the JSON type, and each failure names the field's path (relative to the patient).
/// </summary>
internal readonly struct JsonFields
{
    private readonly JsonElement _element;
    private readonly string _path;

    public JsonFields(JsonElement element, string path, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new FieldException(path, $"is {Kind(element)}; expected an object");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var at = Join(path, property.Name);
            if (System.Array.IndexOf(allowed, property.Name) < 0)
                throw new FieldException(at, "is not a field of the cohort export");
            if (!seen.Add(property.Name))
                throw new FieldException(at, "appears twice");
        }
        (_element, _path) = (element, path);
    }

    public string PathOf(string name) => Join(_path, name);

    /// <summary>The value, or null when the field is absent or JSON null.</summary>
    public JsonElement? Optional(string name) =>
        _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public JsonElement Required(string name) =>
        _element.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.Null
                ? throw new FieldException(PathOf(name), "is null")
                : v
            : throw new FieldException(PathOf(name), "is missing");

    public string String(string name)
    {
        var v = Required(name);
        if (v.ValueKind != JsonValueKind.String)
            throw new FieldException(PathOf(name), $"is {Kind(v)}; expected a string");
        return v.GetString()!;
    }

    public int Int(string name) => AsInt(Required(name), PathOf(name));

    public int? OptionalInt(string name) => Optional(name) is { } v ? AsInt(v, PathOf(name)) : null;

    public bool Bool(string name) => AsBool(Required(name), PathOf(name));

    public bool? OptionalBool(string name) => Optional(name) is { } v ? AsBool(v, PathOf(name)) : null;

    public DateOnly Date(string name) => AsDate(Required(name), PathOf(name));

    public DateOnly? OptionalDate(string name) => Optional(name) is { } v ? AsDate(v, PathOf(name)) : null;

    public DateTimeOffset Instant(string name)
    {
        var v = Required(name);
        var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : null;
        // An instant needs its offset: without one the time would silently be read as the machine's local time.
        var hasOffset =
            text is { Length: > 10 }
            && text.Contains('T')
            && (text.EndsWith('Z') || text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset || !v.TryGetDateTimeOffset(out var instant))
        {
            throw new FieldException(
                PathOf(name),
                $"'{text ?? v.GetRawText()}' is not an ISO 8601 instant with an offset (e.g. 2014-03-01T10:12:00Z)"
            );
        }
        return instant;
    }

    public JsonElement.ArrayEnumerator Array(string name)
    {
        var v = Required(name);
        if (v.ValueKind != JsonValueKind.Array)
            throw new FieldException(PathOf(name), $"is {Kind(v)}; expected an array");
        return v.EnumerateArray();
    }

    public T Enum<T>(string name, IReadOnlyDictionary<string, T> codes)
    {
        var text = String(name);
        return codes.TryGetValue(text, out var value)
            ? value
            : throw new FieldException(PathOf(name), $"'{text}' is not one of {string.Join(", ", codes.Keys)}");
    }

    public static int AsInt(JsonElement v, string path) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? i
            : throw new FieldException(path, $"is {Kind(v)}; expected an integer");

    public static bool AsBool(JsonElement v, string path) =>
        v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FieldException(path, $"is {Kind(v)}; expected true or false"),
        };

    public static DateOnly AsDate(JsonElement v, string path) =>
        v.ValueKind == JsonValueKind.String
        && DateOnly.TryParseExact(
            v.GetString(),
            "yyyy-MM-dd",
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out var d
        )
            ? d
            : throw new FieldException(path, $"{v.GetRawText()} is not a date (yyyy-MM-dd)");

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Kind(JsonElement v) =>
        v.ValueKind switch
        {
            JsonValueKind.Number => $"the number {v.GetRawText()}",
            JsonValueKind.String => $"the string {v.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            JsonValueKind.Null => "null",
            JsonValueKind.Array => $"an array of {v.GetArrayLength()} items",
            _ => "an object",
        };
}
