using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Audit;
using PvpServerless.Contacts;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>One wave as read for a decision: the patient row, the wave row (with their ETags) and the contact.</summary>
public sealed record WaveContext(
    TableEntity Patient,
    TableEntity Row,
    WaveState Wave,
    PatientStanding Standing,
    Contact? Contact
)
{
    public string StudyId => Patient.GetString("StudyId")!;
}

/// <summary>
/// Reads and changes the follow-up state of waves. Every change is one transaction in the patient's partition: the
/// wave row (with the ETag it was read with) and an audit line, so a lost race (412) changes nothing and the
/// caller reads again (docs/follow-up.md).
/// </summary>
public sealed class FollowUpStore(PvpStorage storage, ContactStore contacts, IOptions<FollowUpOptions> options)
{
    public static readonly Actor Scheduler = new("scheduler");
    public static readonly Actor Sender = new("sender");

    public async Task<WaveContext?> ReadAsync(string studyId, Wave wave, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return null;
        var partition = PatientEntities.PartitionOf(studyId);
        var filter =
            $"PartitionKey eq {TableKey.Literal(partition)} and (RowKey eq 'patient' or RowKey eq "
            + $"{TableKey.Literal(PatientEntities.WavePrefix + wave.Code())})";
        TableEntity? patient = null,
            row = null;
        await foreach (var e in storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == PatientEntities.PatientRow)
                patient = e;
            else
                row = e;
        }
        if (patient is null || row is null)
            return null;
        var contact = await contacts.GetAsync(studyId, cancellationToken);
        var standing = new PatientStanding(
            patient.GetString("Status") == PatientEntities.Active,
            PatientEntities.Date(patient.GetString("DeathDate")),
            PatientEntities.Date(patient.GetString("WithdrawnDate")),
            patient.GetDateTimeOffset("OptedOutAt"),
            contact is not null
        );
        return new WaveContext(patient, row, WaveState.From(row, options.Value), standing, contact);
    }

    /// <summary>Changes the wave row (merge, ETag-guarded) and writes its audit line; throws 412 on a lost race.</summary>
    public Task ChangeAsync(
        WaveContext context,
        IReadOnlyDictionary<string, object?> columns,
        Actor actor,
        string action,
        object details,
        DateTimeOffset at,
        CancellationToken cancellationToken
    )
    {
        var update = new TableEntity(context.Row.PartitionKey, context.Row.RowKey);
        foreach (var (k, v) in columns)
            update[k] = v;
        var audit = JsonSerializer.Serialize(
            new Dictionary<string, object?>(DetailsOf(details)) { ["wave"] = context.Wave.Wave.Code() },
            PatientEntities.Json
        );
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.UpdateMerge, update, context.Row.ETag),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(at, actor, action, audit).ToEntity(context.Row.PartitionKey)
            ),
        ];
        return storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
    }

    private static Dictionary<string, object?> DetailsOf(object details) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(details, PatientEntities.Json))
        ?? [];
}
