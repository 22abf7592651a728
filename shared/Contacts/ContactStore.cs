using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Contacts;

/// <summary>
/// E-mail address and language per study id, in a table of their own (optionally a storage account of their own).
/// Nothing clinical is stored here, and nothing here is ever copied into the patient partition, a report or a log.
/// </summary>
public sealed class ContactStore(PvpStorage storage)
{
    private const string Row = "contact";

    public Task SetAsync(string studyId, Contact contact, CancellationToken cancellationToken) =>
        storage.Contacts.UpsertEntityAsync(
            new TableEntity(TableKey.Escape(studyId), Row)
            {
                ["Email"] = contact.Email,
                ["Language"] = Codes.Of(contact.Language),
            },
            TableUpdateMode.Replace,
            cancellationToken
        );

    public async Task<Contact?> GetAsync(string studyId, CancellationToken cancellationToken)
    {
        var response = await storage.Contacts.GetEntityIfExistsAsync<TableEntity>(
            TableKey.Escape(studyId),
            Row,
            cancellationToken: cancellationToken
        );
        if (!response.HasValue || response.Value is not { } e)
            return null;
        return new Contact(
            e.GetString("Email")!,
            Codes.TryParse<Language>(e.GetString("Language"), out var l) ? l : Language.Da
        );
    }
}
