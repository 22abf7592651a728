using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Audit;
using PvpServerless.Cohort;
using PvpServerless.Contacts;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Coordination;

/// <summary>A response's scores as the nightly report computes them (EQ-5D index under the configured value set).
/// </summary>
public sealed record TimelineScores(DateTimeOffset CompletedAt, double? Eq5dIndex, double? Vas, double? Odi, int? Pain);

/// <summary>
/// One audit line: when, who (key role and person), what; <c>Details</c> as written (never an e-mail address);
/// on a response line the response's current scores.
/// </summary>
public sealed record TimelineEntry(
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Wave,
    JsonElement Details,
    TimelineScores? Scores
);

/// <summary>A wave as it stands now.</summary>
public sealed record TimelineWave(
    string Wave,
    DateOnly DueDate,
    DateOnly OpensOn,
    DateOnly ClosesOn,
    string Status,
    int Reminders,
    string? SkipReason,
    DateTimeOffset? AnsweredAt,
    LastEmail? LastEmail
);

/// <summary>The current contact: the one place the coordinator API shows it (no history of addresses is kept).
/// </summary>
public sealed record TimelineContact(string Email, string Language);

/// <summary>The answer of <c>GET /api/patients/{studyId}/timeline</c> (docs/openapi.yaml).</summary>
public sealed record PatientTimeline(
    string StudyId,
    DateOnly ProcedureDate,
    DateTimeOffset EnrolledAt,
    DateOnly? DeathDate,
    DateOnly? WithdrawnDate,
    DateTimeOffset? OptedOutAt,
    TimelineContact? Contact,
    IReadOnlyList<TimelineWave> Waves,
    IReadOnlyList<TimelineEntry> Entries
);

/// <summary>
/// Everything that happened to one patient, oldest first: the audit lines of the patient's partition (enrolment,
/// wave changes, e-mails and their delivery, responses, events) and of its contact partition (contact changes),
/// each naming who did it. One partition query per table, and a sync of the patient's status-index entries.
/// </summary>
public sealed class PatientTimelineService(
    PvpStorage storage,
    ContactStore contacts,
    StatusIndex statusIndex,
    IOptions<FollowUpOptions> followUp,
    IOptions<QuestionnaireOptions> questionnaires
)
{
    public async Task<PatientTimeline?> GetAsync(string studyId, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return null;
        var key = StudyIds.Key(studyId);
        var contactRead = contacts.GetAsync(studyId, cancellationToken);
        var contactAudit = AuditAsync(storage.Contacts, key, cancellationToken);
        TableEntity? patient = null;
        var waves = new List<TableEntity>();
        var responses = new Dictionary<string, WaveResponse>(StringComparer.Ordinal);
        var entries = new List<AuditEntry>();
        var filter = $"PartitionKey eq {TableKey.Literal(key)}";
        await foreach (
            var row in storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)
        )
        {
            if (row.RowKey == PatientEntities.PatientRow)
                patient = row;
            else if (row.RowKey.StartsWith(PatientEntities.WavePrefix, StringComparison.Ordinal))
                waves.Add(row);
            else if (row.RowKey.StartsWith(PatientEntities.ResponsePrefix, StringComparison.Ordinal))
                responses[row.GetString("Wave") ?? ""] = ResponseEntities.ToResponse(row);
            else if (row.RowKey.StartsWith(AuditEntry.RowPrefix, StringComparison.Ordinal))
                entries.Add(AuditEntry.FromEntity(row));
        }
        if (patient is null || patient.GetString("Status") != PatientEntities.Active)
            return null;
        entries.AddRange(await contactAudit);
        // Repair on read, where it is cheap: the coordinator looking at one patient also puts that patient's
        // status-index entries right, should a crash have left one stale (docs/storage.md, "FollowUpStatus").
        await statusIndex.TrySyncPatientAsync(studyId, cancellationToken);
        var contact = await contactRead;
        var q = questionnaires.Value;
        var valueSet = ValueSet.Get(q.Eq5dVersion, q.Eq5dValueSet);
        return new PatientTimeline(
            patient.GetString("StudyId")!,
            PatientEntities.Date(patient.GetString("ProcedureDate"))!.Value,
            patient.GetDateTimeOffset("EnrolledAt") ?? default,
            PatientEntities.Date(patient.GetString("DeathDate")),
            PatientEntities.Date(patient.GetString("WithdrawnDate")),
            patient.GetDateTimeOffset("OptedOutAt"),
            contact is null ? null : new TimelineContact(contact.Email, Codes.Of(contact.Language)),
            [.. waves.Select(w => Wave(w, followUp.Value)).OrderBy(w => w.DueDate)],
            [.. entries.OrderBy(e => e.At).Select(e => Entry(e, responses, valueSet))]
        );
    }

    private static async Task<List<AuditEntry>> AuditAsync(
        TableClient table,
        string partition,
        CancellationToken cancellationToken
    )
    {
        var filter = $"PartitionKey eq {TableKey.Literal(partition)} and RowKey ge 'audit|' and RowKey lt 'audit}}'";
        var list = new List<AuditEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            list.Add(AuditEntry.FromEntity(row));
        return list;
    }

    private static TimelineWave Wave(TableEntity row, FollowUpOptions options)
    {
        var w = WaveState.From(row, options);
        var delivery = row.GetString("DeliveryState");
        var email =
            w.EmailKind is null && delivery is null
                ? null
                : new LastEmail(
                    w.EmailKind,
                    w.EmailStatus == EmailStatus.None ? null : Codes.Of(w.EmailStatus),
                    w.LastSentAt,
                    delivery,
                    row.GetDateTimeOffset("DeliveryAt"),
                    w.Status == WaveStatus.Failed ? w.FailureReason : null
                );
        return new TimelineWave(
            w.Wave.Code(),
            w.DueDate,
            w.OpensOn,
            w.ClosesOn,
            Codes.Of(w.Status),
            w.Reminders,
            w.Status == WaveStatus.Skipped ? w.SkipReason : null,
            row.GetDateTimeOffset("AnsweredAt"),
            email
        );
    }

    private static TimelineEntry Entry(
        AuditEntry e,
        IReadOnlyDictionary<string, WaveResponse> responses,
        ValueSet valueSet
    )
    {
        var details = Parse(e.Details);
        var wave =
            details.ValueKind == JsonValueKind.Object
            && details.TryGetProperty("wave", out var w)
            && w.ValueKind == JsonValueKind.String
                ? w.GetString()
                : null;
        TimelineScores? scores = null;
        if (wave is not null && e.Action.StartsWith("response", StringComparison.Ordinal))
        {
            if (responses.TryGetValue(wave, out var r))
            {
                scores = new TimelineScores(
                    r.CompletedAt,
                    valueSet.Index(r.Eq5d),
                    r.Eq5d?.Vas,
                    Odi.Score(r.Odi),
                    Odi.Pain(r.Odi)
                );
            }
        }
        return new TimelineEntry(e.At, e.Actor, e.Action, wave, details, scores);
    }

    private static JsonElement Parse(string details)
    {
        try
        {
            return string.IsNullOrWhiteSpace(details)
                ? JsonSerializer.SerializeToElement(new { })
                : JsonSerializer.Deserialize<JsonElement>(details);
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(new { text = details });
        }
    }
}
