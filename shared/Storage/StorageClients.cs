using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace PvpServerless.Storage;

/// <summary>
/// The SDK clients for one <see cref="StorageOptions"/>: by service URI and token credential (the managed identity on
/// Azure) when URIs are set, else by connection string (Azurite). Both <see cref="StorageServices"/> (through
/// Microsoft.Extensions.Azure) and <see cref="PvpStorage"/>'s options constructor build them here, each with the
/// bounded retries of <see cref="StorageOptions.Retry"/>.
/// </summary>
public static class StorageClients
{
    public static TableServiceClient Tables(StorageOptions o, TableClientOptions options, TokenCredential credential)
    {
        o.Retry.ApplyTo(options);
        return o.UsesIdentity
            ? new TableServiceClient(new Uri(o.TableServiceUri!), credential, options)
            : new TableServiceClient(o.ConnectionString, options);
    }

    /// <summary>The Contacts table's service: a separate account when configured, else the data account.</summary>
    public static TableServiceClient ContactTables(
        StorageOptions o,
        TableClientOptions options,
        TokenCredential credential
    )
    {
        o.Retry.ApplyTo(options);
        return !string.IsNullOrWhiteSpace(o.ContactsTableServiceUri)
                ? new TableServiceClient(new Uri(o.ContactsTableServiceUri), credential, options)
            : !string.IsNullOrWhiteSpace(o.ContactsConnectionString)
                ? new TableServiceClient(o.ContactsConnectionString, options)
            : Tables(o, options, credential);
    }

    public static BlobServiceClient Blobs(StorageOptions o, BlobClientOptions options, TokenCredential credential)
    {
        o.Retry.ApplyTo(options);
        return o.UsesIdentity
            ? new BlobServiceClient(new Uri(o.BlobServiceUri!), credential, options)
            : new BlobServiceClient(o.ConnectionString, options);
    }

    /// <summary>Messages are base64, as the Functions host's queue trigger expects.</summary>
    public static QueueServiceClient Queues(StorageOptions o, QueueClientOptions options, TokenCredential credential)
    {
        options.MessageEncoding = QueueMessageEncoding.Base64;
        o.Retry.ApplyTo(options);
        return o.UsesIdentity
            ? new QueueServiceClient(new Uri(o.QueueServiceUri!), credential, options)
            : new QueueServiceClient(o.ConnectionString, options);
    }
}
