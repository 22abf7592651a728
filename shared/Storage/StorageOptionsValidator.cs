using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace PvpServerless.Storage;

/// <summary>
/// Fails start-up with a message that names the missing or bad setting. A connection string is never echoed: it
/// holds an account key.
/// </summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Prefix = StorageOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.UsesIdentity)
        {
            foreach (
                var (setting, value, service) in ((string, string?, string)[])
                    [
                        (nameof(options.TableServiceUri), options.TableServiceUri, "table"),
                        (nameof(options.BlobServiceUri), options.BlobServiceUri, "blob"),
                        (nameof(options.QueueServiceUri), options.QueueServiceUri, "queue"),
                    ]
            )
            {
                CheckServiceUri(setting, value, service, required: true, failures);
            }
            if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add(
                    $"{Prefix}{nameof(options.ConnectionString)} and the service URIs are both set: use the URIs "
                        + "(managed identity, as on Azure) or a connection string (Azurite), not both."
                );
            }
        }
        else if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add(
                $"No storage is configured: set {Prefix}{nameof(options.TableServiceUri)}, "
                    + $"{Prefix}{nameof(options.BlobServiceUri)} and {Prefix}{nameof(options.QueueServiceUri)} "
                    + $"(managed identity, as on Azure), or {Prefix}{nameof(options.ConnectionString)} or "
                    + "AzureWebJobsStorage (a connection string, as with Azurite)."
            );
        }
        else
        {
            CheckConnectionString(nameof(options.ConnectionString), options.ConnectionString, failures);
        }

        CheckServiceUri(
            nameof(options.ContactsTableServiceUri),
            options.ContactsTableServiceUri,
            "table",
            required: false,
            failures
        );
        if (!string.IsNullOrWhiteSpace(options.ContactsConnectionString))
        {
            if (!string.IsNullOrWhiteSpace(options.ContactsTableServiceUri))
            {
                failures.Add(
                    $"{Prefix}{nameof(options.ContactsConnectionString)} and "
                        + $"{Prefix}{nameof(options.ContactsTableServiceUri)} are both set: choose one."
                );
            }
            CheckConnectionString(nameof(options.ContactsConnectionString), options.ContactsConnectionString, failures);
        }
        CheckRetry(options.Retry, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckServiceUri(
        string setting,
        string? value,
        string service,
        bool required,
        List<string> failures
    )
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                failures.Add(
                    $"{Prefix}{setting} is missing: with a service URI the app uses its managed identity and needs "
                        + $"all three (e.g. https://ACCOUNT.{service}.core.windows.net/)."
                );
            }
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add(
                $"{Prefix}{setting} must be an absolute https URI such as https://ACCOUNT.{service}.core.windows.net/ "
                    + $"(got '{value}')."
            );
        }
    }

    private static void CheckRetry(StorageRetryOptions retry, List<string> failures)
    {
        const string Retry = Prefix + nameof(StorageOptions.Retry) + ":";
        var before = failures.Count;
        if (retry.MaxRetries is < 0 or > 5)
            failures.Add($"{Retry}{nameof(retry.MaxRetries)} must be 0 to 5 (got {retry.MaxRetries}).");
        if (retry.Delay <= TimeSpan.Zero || retry.Delay > retry.MaxDelay)
        {
            failures.Add(
                $"{Retry}{nameof(retry.Delay)} must be above zero and at most {Retry}{nameof(retry.MaxDelay)} "
                    + $"(got {retry.Delay} and {retry.MaxDelay})."
            );
        }
        if (retry.NetworkTimeout < TimeSpan.FromSeconds(1) || retry.NetworkTimeout > TimeSpan.FromSeconds(100))
        {
            failures.Add(
                $"{Retry}{nameof(retry.NetworkTimeout)} must be 1 to 100 seconds (got {retry.NetworkTimeout})."
            );
        }
        if (failures.Count == before && retry.WorstTotalPause() > StorageRetryOptions.MaxTotalPause)
        {
            failures.Add(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}MaxRetries, Delay and MaxDelay let one call pause {1:0.0} s in all; at most {2:0} s keeps a "
                        + "request's 503 prompt (docs/evidence.md, \"Faults\"): fewer retries or shorter delays.",
                    Retry,
                    retry.WorstTotalPause().TotalSeconds,
                    StorageRetryOptions.MaxTotalPause.TotalSeconds
                )
            );
        }
    }

    private static void CheckConnectionString(string setting, string value, List<string> failures)
    {
        try
        {
            // Parses only; no request is made.
            _ = new TableServiceClient(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            failures.Add(
                $"{Prefix}{setting} is not a storage connection string (its value is not shown: it may hold a key)."
            );
        }
    }
}
