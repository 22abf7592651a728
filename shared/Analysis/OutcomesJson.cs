using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PvpServerless.Analysis;

/// <summary>
/// outcomes.json: camelCase, DateOnly as yyyy-MM-dd, doubles in full (round-trip) precision, nulls written out.
/// NaN cannot be written (System.Text.Json refuses it), which guards the "null, never NaN" rule.
/// </summary>
public static class OutcomesJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
        // A file, never embedded in HTML: keep "+" and non-ASCII letters readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(Outcomes outcomes) => JsonSerializer.SerializeToUtf8Bytes(outcomes, Options);

    public static Outcomes Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<Outcomes>(utf8Json, Options) ?? throw new JsonException("outcomes.json is null.");
}
