using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
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
    /// <summary>Clients built straight from the options (CLI, benchmarks, tests); hosts use AddPvpStorage.</summary>
    public PvpStorage(IOptions<StorageOptions> options)
        : this(options.Value, Credential(options.Value), TimeProvider.System) { }

    private PvpStorage(StorageOptions o, TokenCredential credential, TimeProvider clock)
        : this(
            o,
            StorageClients.Tables(o, new TableClientOptions(), credential),
            StorageClients.ContactTables(o, new TableClientOptions(), credential),
            StorageClients.Blobs(o, new BlobClientOptions(), credential),
            StorageClients.Queues(o, new QueueClientOptions(), credential),
            clock
        )
    { }

    /// <summary>The clients from Microsoft.Extensions.Azure (<see cref="StorageServices.AddPvpStorage"/>).</summary>
    public PvpStorage(
        StorageOptions options,
        TableServiceClient tables,
        TableServiceClient contactTables,
        BlobServiceClient blobs,
        QueueServiceClient queues,
        TimeProvider clock
    )
    {
        NamePrefix = options.NamePrefix;
        UsesIdentity = options.UsesIdentity;
        Patients = tables.GetTableClient(NamePrefix + "Patients");
        Schedule = tables.GetTableClient(NamePrefix + "Schedule");
        Contacts = contactTables.GetTableClient(NamePrefix + "Contacts");
        Tokens = tables.GetTableClient(NamePrefix + "Tokens");
        FollowUpStatus = tables.GetTableClient(NamePrefix + "FollowUpStatus");
        FollowUpCounts = tables.GetTableClient(NamePrefix + "FollowUpCounts");
        Blobs = blobs;
        Reports = blobs.GetBlobContainerClient(NamePrefix + "reports");
        Outbox = blobs.GetBlobContainerClient(NamePrefix + "outbox");
        Queues = queues;
        ReadLinks = new BlobReadLinks(blobs, clock);
    }

    public string NamePrefix { get; }

    /// <summary>Reached by the managed identity (Azure) rather than a connection string (Azurite).</summary>
    public bool UsesIdentity { get; }

    /// <summary>One partition per patient (PartitionKey = study id): record, waves, events, responses, audit.</summary>
    public TableClient Patients { get; }

    /// <summary>The due-date index: PartitionKey = yyyy-MM-dd, RowKey = studyId|wave.</summary>
    public TableClient Schedule { get; }

    /// <summary>E-mail addresses and languages, apart from every clinical datum.</summary>
    public TableClient Contacts { get; }

    /// <summary>
    /// Survey link tokens by their SHA-256 (PartitionKey = hash, RowKey = token); never the token itself.
    /// </summary>
    public TableClient Tokens { get; }

    /// <summary>
    /// The status index: PartitionKey = wave|due day, RowKey = study key, and each partition's <c>~counts</c> row.
    /// </summary>
    public TableClient FollowUpStatus { get; }

    /// <summary>A copy of each status-index partition's counts: PartitionKey = wave, RowKey = due day.</summary>
    public TableClient FollowUpCounts { get; }

    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Reports { get; }

    /// <summary>Rendered e-mails of the Outbox transport (Email:Transport = Outbox), one JSON blob each.</summary>
    public BlobContainerClient Outbox { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>Short-lived read-only links (user delegation SAS on an identity, account SAS on Azurite).</summary>
    public BlobReadLinks ReadLinks { get; }

    /// <summary>
    /// With a connection string (Azurite): creates the tables and the container. On an identity (Azure) the template
    /// creates them (infra/), so the app only checks they are there and fails start-up naming what is missing.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (UsesIdentity)
        {
            await EnsureExistAsync(cancellationToken);
            return;
        }
        await Patients.CreateIfNotExistsAsync(cancellationToken);
        await Schedule.CreateIfNotExistsAsync(cancellationToken);
        await Contacts.CreateIfNotExistsAsync(cancellationToken);
        await Tokens.CreateIfNotExistsAsync(cancellationToken);
        await FollowUpStatus.CreateIfNotExistsAsync(cancellationToken);
        await FollowUpCounts.CreateIfNotExistsAsync(cancellationToken);
        await Reports.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Outbox.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    private async Task EnsureExistAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var table in (TableClient[])[Patients, Schedule, Contacts, Tokens, FollowUpStatus, FollowUpCounts])
        {
            if (!await TableExistsAsync(table, cancellationToken))
                missing.Add($"table {table.Name} in {table.Uri.GetLeftPart(UriPartial.Authority)}");
        }
        foreach (var container in (BlobContainerClient[])[Reports, Outbox])
        {
            if (!await container.ExistsAsync(cancellationToken))
                missing.Add($"container {container.Name} in {container.Uri.GetLeftPart(UriPartial.Authority)}");
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                "Storage is missing " + string.Join(", ", missing) + ": deploy infra/main.bicep (docs/deploy.md)."
            );
        }
    }

    private static async Task<bool> TableExistsAsync(TableClient table, CancellationToken cancellationToken)
    {
        try
        {
            // A query of one row of the table itself: allowed by the data role, unlike listing the account's tables.
            await foreach (
                var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, cancellationToken: cancellationToken).AsPages()
            )
            {
                break;
            }
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private static TokenCredential Credential(StorageOptions options) =>
        options.UsesIdentity || !string.IsNullOrWhiteSpace(options.ContactsTableServiceUri)
            ? new DefaultAzureCredential()
            : NoCredential.Instance;

    /// <summary>Stands in where a connection string carries the key: never asked for a token.</summary>
    private sealed class NoCredential : TokenCredential
    {
        public static readonly NoCredential Instance = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A connection string is configured: no token is needed.");

        public override ValueTask<AccessToken> GetTokenAsync(
            TokenRequestContext requestContext,
            CancellationToken cancellationToken
        ) => throw new InvalidOperationException("A connection string is configured: no token is needed.");
    }
}
