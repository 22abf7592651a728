using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace PvpServerless.Storage;

/// <summary>
/// The tables, containers and queues of the system (see docs/storage.md). One instance per host: the SDK
/// clients are thread-safe and meant to be shared.
/// </summary>
public sealed class PvpStorage
{
    public PvpStorage(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        var tables = new TableServiceClient(o.ConnectionString);
        var contactTables = string.IsNullOrEmpty(o.ContactsConnectionString)
            ? tables
            : new TableServiceClient(o.ContactsConnectionString);
        Patients = tables.GetTableClient(o.NamePrefix + "Patients");
        Schedule = tables.GetTableClient(o.NamePrefix + "Schedule");
        Contacts = contactTables.GetTableClient(o.NamePrefix + "Contacts");
        Tokens = tables.GetTableClient(o.NamePrefix + "Tokens");
        Blobs = new BlobServiceClient(o.ConnectionString);
        Reports = Blobs.GetBlobContainerClient(o.NamePrefix + "reports");
        Outbox = Blobs.GetBlobContainerClient(o.NamePrefix + "outbox");
        Queues = new QueueServiceClient(
            o.ConnectionString,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }
        );
        NamePrefix = o.NamePrefix;
    }

    public string NamePrefix { get; }

    /// <summary>
    /// One partition per patient (PartitionKey = study id): the record, waves, events, responses, audit.
    /// </summary>
    public TableClient Patients { get; }

    /// <summary>The due-date index: PartitionKey = yyyy-MM-dd, RowKey = studyId|wave.</summary>
    public TableClient Schedule { get; }

    /// <summary>E-mail addresses and languages, apart from every clinical datum.</summary>
    public TableClient Contacts { get; }

    /// <summary>
    /// Survey link tokens by their SHA-256 (PartitionKey = hash, RowKey = token); never the token itself.
    /// </summary>
    public TableClient Tokens { get; }

    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Reports { get; }

    /// <summary>Rendered e-mails of the Outbox transport (Email:Transport = Outbox), one JSON blob each.</summary>
    public BlobContainerClient Outbox { get; }

    public QueueServiceClient Queues { get; }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Patients.CreateIfNotExistsAsync(cancellationToken);
        await Schedule.CreateIfNotExistsAsync(cancellationToken);
        await Contacts.CreateIfNotExistsAsync(cancellationToken);
        await Tokens.CreateIfNotExistsAsync(cancellationToken);
        await Reports.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Outbox.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}
