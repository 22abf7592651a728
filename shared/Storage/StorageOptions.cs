using System.ComponentModel.DataAnnotations;

namespace PvpServerless.Storage;

/// <summary>
/// Where the data lives (configuration section <c>Storage</c>). On Azure: the three service URIs of the data account,
/// reached with the app's managed identity (no key anywhere). On one machine: a connection string (Azurite).
/// <see cref="StorageOptionsValidator"/> checks at start-up that exactly one of the two is given.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>A connection string (Azurite); falls back to the Functions host's <c>AzureWebJobsStorage</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Contacts may live in an account of their own, so that e-mail addresses never share a key with outcomes.
    /// </summary>
    public string? ContactsConnectionString { get; set; }

    /// <summary>The data account's Table endpoint, https://ACCOUNT.table.core.windows.net/ (by identity).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>The data account's Blob endpoint (the reports).</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary>The data account's Queue endpoint (the queues that queue-triggered functions read).</summary>
    public string? QueueServiceUri { get; set; }

    /// <summary>Table endpoint of a separate Contacts account; empty = Contacts is in the data account.</summary>
    public string? ContactsTableServiceUri { get; set; }

    /// <summary>Prefix of every table, container and queue name: lets tests and sites share one account.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$|^$")]
    public string NamePrefix { get; set; } = "";

    /// <summary>The SDK's retries of one storage call, bounded (<see cref="StorageRetryOptions"/>).</summary>
    public StorageRetryOptions Retry { get; set; } = new();

    /// <summary>Whether the data account is reached by service URI and identity, not a connection string.</summary>
    public bool UsesIdentity =>
        !string.IsNullOrWhiteSpace(TableServiceUri)
        || !string.IsNullOrWhiteSpace(BlobServiceUri)
        || !string.IsNullOrWhiteSpace(QueueServiceUri);
}
