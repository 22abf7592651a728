using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Audit;
using PvpServerless.Contacts;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>
/// One wave as read for a decision: the patient row, the wave row (with their ETags) and the contact.
/// </summary>
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
public sealed class FollowUpStore(
    PvpStorage storage,
    ContactStore contacts,
    StatusIndex statusIndex,
    IOptions<FollowUpOptions> options
)
{
    public static readonly Actor Scheduler = new("scheduler");
    public static readonly Actor Sender = new("sender");

    public async Task<WaveContext?> ReadAsync(string studyId, Wave wave, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return null;
        // Two point reads, not one query: a query is a scan of the patient's partition on Azure (audit lines grow
        // with every change) and of the whole table on Azurite, so a run's cost would grow with the enrolled.
        var partition = PatientEntities.PartitionOf(studyId);
        var patientRead = storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            PatientEntities.PatientRow,
            cancellationToken: cancellationToken
        );
        var waveRead = storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            PatientEntities.WavePrefix + wave.Code(),
            cancellationToken: cancellationToken
        );
        var (patientRow, waveRow) = (await patientRead, await waveRead);
        if (!patientRow.HasValue || !waveRow.HasValue)
            return null;
        var (patient, row) = (patientRow.Value!, waveRow.Value!);
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

    /// <summary>
    /// Changes the wave row (the whole row replaced, ETag-guarded) and writes its audit line; throws 412 on a lost
    /// race. A null value removes its column: a merge would silently keep the old value. Then brings the wave's
    /// status-index entry up to date (<see cref="StatusIndex"/>): every change of a wave's state goes through here,
    /// so the index follows without the caller doing anything.
    /// </summary>
    public async Task ChangeAsync(
        WaveContext context,
        IReadOnlyDictionary<string, object?> columns,
        Actor actor,
        string action,
        object details,
        DateTimeOffset at,
        CancellationToken cancellationToken
    )
    {
        var update = new TableEntity(context.Row);
        foreach (var k in new[] { "odata.etag", "Timestamp" })
            update.Remove(k);
        foreach (var (k, v) in columns)
        {
            if (v is null)
                update.Remove(k);
            else
                update[k] = v;
        }
        var audit = JsonSerializer.Serialize(
            new Dictionary<string, object?>(DetailsOf(details)) { ["wave"] = context.Wave.Wave.Code() },
            PatientEntities.Json
        );
        List<TableTransactionAction> batch =
        [
            new(TableTransactionActionType.UpdateReplace, update, context.Row.ETag),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(at, actor, action, audit).ToEntity(context.Row.PartitionKey)
            ),
        ];
        await storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
        await statusIndex.TrySyncAsync(context.StudyId, context.Wave.Wave, context.Wave.DueDate, cancellationToken);
    }

    private static Dictionary<string, object?> DetailsOf(object details) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(details, PatientEntities.Json))
        ?? [];
}
