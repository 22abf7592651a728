using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using PvpServerless.Domain;

namespace PvpServerless.Cohort;

/// <summary>
/// The canonical form of a cohort document: camelCase, no indentation, patients ordered by studyId (ordinal), levels
/// from the skull down, complications by type, responses by wave, instants in UTC. Two documents with the same content
/// serialise to the same bytes, so <see cref="Sha256"/> identifies the analysis input. The storage side writes
/// cohort.json with <see cref="Serialize"/>; everyone reads it with <see cref="Read"/>.
/// </summary>
public static class CohortJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        Converters = { new UtcInstantConverter() },
    };

    /// <summary>UTF-8 canonical JSON of <paramref name="cohort"/>.</summary>
    public static byte[] Serialize(CohortDocument cohort) =>
        JsonSerializer.SerializeToUtf8Bytes(Canonicalize(cohort), Options);

    /// <summary>Parses and validates; see <see cref="CohortReader"/>.</summary>
    /// <exception cref="CohortFormatException">The document breaks a rule of the cohort export.</exception>
    public static CohortDocument Read(ReadOnlyMemory<byte> utf8Json) => CohortReader.Read(utf8Json);

    /// <summary>Lower-case hex SHA-256 of the canonical JSON: the <c>inputSha256</c> of outcomes.json.</summary>
    public static string Sha256(CohortDocument cohort) => Convert.ToHexStringLower(SHA256.HashData(Serialize(cohort)));

    /// <summary>The same cohort with every list in canonical order.</summary>
    public static CohortDocument Canonicalize(CohortDocument cohort) =>
        cohort with
        {
            Patients = cohort
                .Patients.OrderBy(p => p.StudyId, StringComparer.Ordinal)
                .Select(p =>
                    p with
                    {
                        Levels = p
                            .Levels.OrderBy(l => SpinalLevel.TryParse(l.Level, out var s) ? s.Ordinal : int.MaxValue)
                            .ThenBy(l => l.Level, StringComparer.Ordinal)
                            .ToList(),
                        Complications = p
                            .Complications.OrderBy(c => c.Type, StringComparer.Ordinal)
                            .ThenBy(c => c.Symptomatic)
                            .ToList(),
                        Responses = p.Responses.OrderBy(r => r.Wave).ToList(),
                    }
                )
                .ToList(),
        };

    /// <summary>Writes an instant as UTC with a Z, so the same moment always reads the same.</summary>
    private sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(
                value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            );
    }
}
