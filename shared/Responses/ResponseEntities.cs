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
    public static TableEntity ToEntity(string partition, WaveResponse r, string source, DateTimeOffset receivedAt) =>
        new(partition, PatientEntities.ResponsePrefix + r.Wave.Code())
        {
            ["Wave"] = r.Wave.Code(),
            ["CompletedAt"] = r.CompletedAt,
            ["Eq5d"] = r.Eq5d is null ? null : JsonSerializer.Serialize(r.Eq5d, PatientEntities.Json),
            ["Odi"] = r.Odi is null ? null : JsonSerializer.Serialize(r.Odi, PatientEntities.Json),
            ["Source"] = source,
            ["ReceivedAt"] = receivedAt,
        };

    /// <summary>
    /// Keeps the scores beside the answers as the survey pages do (docs/storage.md): the value set's name and one
    /// column per score, so a reader need not score them again.
    /// </summary>
    public static void SetScores(TableEntity row, ResponseScores scores, string valueSet)
    {
        row["ValueSet"] = valueSet;
        row["Eq5dIndex"] = scores.Eq5dIndex;
        row["EqVas"] = scores.EqVas;
        row["OdiScore"] = scores.Odi;
        row["OdiPain"] = scores.Pain;
    }

    /// <summary>The scores stored with the answers, or null for a row written without them.</summary>
    public static ResponseScores? Scores(TableEntity e) =>
        e.GetString("ValueSet") is null
            ? null
            : new ResponseScores(
                e.GetDouble("Eq5dIndex"),
                e.GetInt32("EqVas"),
                e.GetDouble("OdiScore"),
                e.GetInt32("OdiPain")
            );

    /// <summary>
    /// The stored row with other answers: every other column kept (source, received, the survey's language and
    /// instruments), the answer columns replaced (an absent one removed). For a replace under the row's ETag.
    /// </summary>
    public static TableEntity WithAnswers(TableEntity stored, WaveResponse r)
    {
        var row = new TableEntity(stored.PartitionKey, stored.RowKey);
        foreach (var (key, value) in stored)
        {
            if (key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                row[key] = value;
        }
        var answers = ToEntity(stored.PartitionKey, r, "", default);
        foreach (var column in (string[])["CompletedAt", "Eq5d", "Odi"])
        {
            if (answers[column] is { } value)
                row[column] = value;
            else
                row.Remove(column);
        }
        return row;
    }

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
