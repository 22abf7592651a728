using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;

namespace PvpServerless.Responses;

/// <summary>
/// Maps a response row (RowKey <c>response|{wave}</c> in the patient's partition) to and from its record.
/// </summary>
internal static class ResponseEntities
{
    public const string ScoresColumn = "Scores";

    /// <param name="scores">Kept beside the answers (docs/storage.md), so a reader need not score them again.</param>
    public static TableEntity ToEntity(
        string partition,
        WaveResponse r,
        string source,
        DateTimeOffset receivedAt,
        ResponseScores? scores = null
    ) =>
        new(partition, PatientEntities.ResponsePrefix + r.Wave.Code())
        {
            ["Wave"] = r.Wave.Code(),
            ["CompletedAt"] = r.CompletedAt,
            ["Eq5d"] = r.Eq5d is null ? null : JsonSerializer.Serialize(r.Eq5d, PatientEntities.Json),
            ["Odi"] = r.Odi is null ? null : JsonSerializer.Serialize(r.Odi, PatientEntities.Json),
            ["Source"] = source,
            ["ReceivedAt"] = receivedAt,
            [ScoresColumn] = scores is null ? null : JsonSerializer.Serialize(scores, PatientEntities.Json),
        };

    /// <summary>The scores stored with the answers, or null for a row written without them.</summary>
    public static ResponseScores? Scores(TableEntity e) =>
        e.GetString(ScoresColumn) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<ResponseScores>(json, PatientEntities.Json)
            : null;

    public static WaveResponse ToResponse(TableEntity e) =>
        new(
            Waves.TryParse(e.GetString("Wave"), out var w)
                ? w
                : throw new InvalidDataException($"Stored wave '{e.GetString("Wave")}' is unknown."),
            e.GetDateTimeOffset("CompletedAt")
                ?? throw new InvalidDataException("A stored response has no CompletedAt."),
            e.GetString("Eq5d") is { } eq5d
                ? JsonSerializer.Deserialize<Eq5dAnswers>(eq5d, PatientEntities.Json)
                : null,
            e.GetString("Odi") is { } odi ? JsonSerializer.Deserialize<List<int?>>(odi, PatientEntities.Json) : null
        );

    public static bool SameAnswers(WaveResponse a, WaveResponse b) =>
        a.Wave == b.Wave
        && a.CompletedAt == b.CompletedAt
        && a.Eq5d == b.Eq5d
        && (a.Odi ?? []).SequenceEqual(b.Odi ?? [])
        && (a.Odi is null) == (b.Odi is null);
}
