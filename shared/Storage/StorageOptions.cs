using System.ComponentModel.DataAnnotations;

namespace PvpServerless.Storage;

/// <summary>Where the data lives (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The storage account; falls back to the Functions host's own <c>AzureWebJobsStorage</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Contacts may live in a storage account of their own, so that e-mail addresses never share a key with
    /// outcomes; empty means the main account.
    /// </summary>
    public string? ContactsConnectionString { get; set; }

    /// <summary>Prefix of every table, container and queue name: lets tests and sites share one account.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$|^$")]
    public string NamePrefix { get; set; } = "";
}
