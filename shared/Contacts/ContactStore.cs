using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Domain;
using PvpServerless.Patients;

namespace PvpServerless.Contacts;

/// <summary>A requested change of a patient's contact: a new address, a new language, or both (null = keep).</summary>
public sealed record ContactChange(string EventId, string? Email, Language? Language, Actor Actor, DateTimeOffset At);

public enum ContactChangeOutcome
{
    Changed,
    Unchanged,
    NoAddress,
}

/// <summary>
/// E-mail address and language per study id, in a table of their own (optionally a storage account of their own).
/// Nothing clinical is stored here, and nothing here is ever copied into the patient partition, a report or a log.
/// A change is one transaction in the patient's contacts partition: the contact row (ETag-guarded), the change's
/// id, and its audit line (which says what changed, never the address), so they always agree.
/// </summary>
public sealed class ContactStore(Storage.PvpStorage storage)
{
    private const string Row = "contact";
    private const string EventPrefix = "event|";

    public Task SetAsync(string studyId, Contact contact, CancellationToken cancellationToken) =>
        storage.Contacts.UpsertEntityAsync(Entity(studyId, contact), TableUpdateMode.Replace, cancellationToken);

    public async Task<Contact?> GetAsync(string studyId, CancellationToken cancellationToken) =>
        await ReadAsync(studyId, cancellationToken) is { } e ? ToContact(e) : null;

    /// <summary>Removes the contact of an enrolment that was never finished (see EnrolmentService).</summary>
    internal Task DeleteAsync(string studyId, CancellationToken cancellationToken) =>
        storage.Contacts.DeleteEntityAsync(StudyIds.Key(studyId), Row, ETag.All, cancellationToken);

    /// <summary>
    /// Applies a change; throws a 409/412 <see cref="RequestFailedException"/> when another change raced in (the
    /// caller reads again and retries). The same event id applied before, or a contact already as requested, is
    /// <see cref="ContactChangeOutcome.Unchanged"/>.
    /// </summary>
    public async Task<ContactChangeOutcome> ChangeAsync(
        string studyId,
        ContactChange change,
        CancellationToken cancellationToken
    )
    {
        var key = StudyIds.Key(studyId);
        var done = await storage.Contacts.GetEntityIfExistsAsync<TableEntity>(
            key,
            EventPrefix + change.EventId,
            select: ["RowKey"],
            cancellationToken: cancellationToken
        );
        if (done.HasValue)
            return ContactChangeOutcome.Unchanged;
        var row = await ReadAsync(studyId, cancellationToken);
        var current = row is null ? null : ToContact(row);
        var email = change.Email ?? current?.Email;
        if (email is null)
            return ContactChangeOutcome.NoAddress;
        var next = new Contact(email, change.Language ?? current?.Language ?? Language.Da);
        if (next == current)
            return ContactChangeOutcome.Unchanged;

        var details = JsonSerializer.Serialize(
            new { email = next.Email == current?.Email ? "unchanged" : "changed", language = Codes.Of(next.Language) }
        );
        List<TableTransactionAction> batch =
        [
            row is null
                ? new(TableTransactionActionType.Add, Entity(studyId, next))
                : new(TableTransactionActionType.UpdateReplace, Entity(studyId, next), row.ETag),
            new(
                TableTransactionActionType.Add,
                new TableEntity(key, EventPrefix + change.EventId)
                {
                    ["At"] = change.At,
                    ["Actor"] = change.Actor.ToString(),
                }
            ),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(change.At, change.Actor, "contactChange", details).ToEntity(key)
            ),
        ];
        await storage.Contacts.SubmitTransactionAsync(batch, cancellationToken);
        return ContactChangeOutcome.Changed;
    }

    private async Task<TableEntity?> ReadAsync(string studyId, CancellationToken cancellationToken)
    {
        var response = await storage.Contacts.GetEntityIfExistsAsync<TableEntity>(
            StudyIds.Key(studyId),
            Row,
            cancellationToken: cancellationToken
        );
        return response.HasValue ? response.Value : null;
    }

    private static TableEntity Entity(string studyId, Contact contact) =>
        new(StudyIds.Key(studyId), Row) { ["Email"] = contact.Email, ["Language"] = Codes.Of(contact.Language) };

    private static Contact ToContact(TableEntity e) =>
        new(e.GetString("Email")!, Codes.TryParse<Language>(e.GetString("Language"), out var l) ? l : Language.Da);
}
