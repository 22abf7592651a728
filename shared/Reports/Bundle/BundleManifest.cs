using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PvpServerless.Analysis;

namespace PvpServerless.Reports.Bundle;

/// <summary>
/// One file of a nightly folder: its name (no directories), its bytes and the content type to store it with.
/// </summary>
public sealed record BundleFile(string Name, byte[] Content, string ContentType);

/// <summary>A file as manifest.json lists it: size in bytes and lower-case hex SHA-256 of the content.</summary>
public sealed record ManifestEntry(string Name, long Bytes, string Sha256);

/// <summary>
/// manifest.json of a nightly folder: what the folder holds, what it was made from and by which build. It lists every
/// other file of the folder (not itself), so a reader can check that a download is complete and unaltered.
/// </summary>
/// <param name="InputSha256">SHA-256 of the canonical cohort JSON, equal to the hash of cohort.json in the
/// folder.</param>
/// <param name="StartedAt">Clock reading before the analysis; also the <c>generatedAt</c> of outcomes.json.</param>
/// <param name="FinishedAt">Clock reading once every listed file was built.</param>
/// <param name="Patients">Patients in the cohort.</param>
public sealed record BundleManifest(
    int SchemaVersion,
    DateOnly CutoffDate,
    IReadOnlyList<ManifestEntry> Files,
    string InputSha256,
    string SoftwareVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    Eq5dInfo Eq5d,
    int Patients
)
{
    public const int CurrentSchemaVersion = 1;

    public const string FileName = "manifest.json";

    /// <summary>camelCase, indented, DateOnly as yyyy-MM-dd, nulls written: the conventions of outcomes.json.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static BundleManifest Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<BundleManifest>(utf8Json, JsonOptions)
        ?? throw new JsonException("manifest.json is null.");
}
