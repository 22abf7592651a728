using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Storage;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>Storage settings are checked when the host starts, and a wrong one is named in the message.</summary>
public sealed class StorageOptionsTests
{
    private const string Azurite =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>The start-up check of the host (ValidateOnStart), without starting anything.</summary>
    private static string StartUpFailure(Dictionary<string, string?> settings)
    {
        using var services = TestServices.Build(settings);
        var failure = Assert.Throws<OptionsValidationException>(() =>
            services.GetRequiredService<IStartupValidator>().Validate()
        );
        return failure.Message;
    }

    [Fact]
    public void Without_any_storage_setting_start_up_names_both_ways_to_configure_it()
    {
        var message = StartUpFailure([]);
        Assert.Contains("Storage:TableServiceUri", message);
        Assert.Contains("Storage:ConnectionString", message);
        Assert.Contains("AzureWebJobsStorage", message);
    }

    [Fact]
    public void One_service_uri_alone_names_the_two_that_are_missing()
    {
        var message = StartUpFailure(new() { ["Storage:TableServiceUri"] = "https://pvpdata.table.core.windows.net/" });
        Assert.Contains("Storage:BlobServiceUri is missing", message);
        Assert.Contains("Storage:QueueServiceUri is missing", message);
        Assert.DoesNotContain("Storage:TableServiceUri is missing", message);
    }

    [Fact]
    public void A_service_uri_that_is_not_https_is_named()
    {
        var message = StartUpFailure(
            new()
            {
                ["Storage:TableServiceUri"] = "https://pvpdata.table.core.windows.net/",
                ["Storage:BlobServiceUri"] = "http://pvpdata.blob.core.windows.net/",
                ["Storage:QueueServiceUri"] = "pvpdata.queue",
            }
        );
        Assert.Contains("Storage:BlobServiceUri must be an absolute https URI", message);
        Assert.Contains("Storage:QueueServiceUri must be an absolute https URI", message);
    }

    [Fact]
    public void A_connection_string_next_to_service_uris_is_refused()
    {
        var message = StartUpFailure(
            new()
            {
                ["Storage:ConnectionString"] = Azurite,
                ["Storage:TableServiceUri"] = "https://pvpdata.table.core.windows.net/",
                ["Storage:BlobServiceUri"] = "https://pvpdata.blob.core.windows.net/",
                ["Storage:QueueServiceUri"] = "https://pvpdata.queue.core.windows.net/",
            }
        );
        Assert.Contains("Storage:ConnectionString and the service URIs are both set", message);
    }

    [Fact]
    public void A_malformed_connection_string_is_named_but_never_shown()
    {
        var message = StartUpFailure(new() { ["AzureWebJobsStorage"] = "AccountKey=c2VjcmV0LWtleQ==;nonsense" });
        Assert.Contains("Storage:ConnectionString is not a storage connection string", message);
        Assert.DoesNotContain("c2VjcmV0LWtleQ", message);
    }

    [Fact]
    public void Contacts_may_not_have_both_a_connection_string_and_a_service_uri()
    {
        var message = StartUpFailure(
            new()
            {
                ["AzureWebJobsStorage"] = Azurite,
                ["Storage:ContactsConnectionString"] = Azurite,
                ["Storage:ContactsTableServiceUri"] = "https://pvpcont.table.core.windows.net/",
            }
        );
        Assert.Contains("Storage:ContactsConnectionString and Storage:ContactsTableServiceUri are both set", message);
    }

    [Fact]
    public void Azurite_settings_pass_and_service_uris_alone_pass()
    {
        using (var local = TestServices.Build(new() { ["AzureWebJobsStorage"] = Azurite }))
        {
            local.GetRequiredService<IStartupValidator>().Validate();
            Assert.Equal(Azurite, local.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString);
        }
        using var azure = TestServices.Build(
            new()
            {
                // On Azure AzureWebJobsStorage is identity-based too: only its __ settings exist.
                ["AzureWebJobsStorage:blobServiceUri"] = "https://pvpfunc.blob.core.windows.net/",
                ["Storage:TableServiceUri"] = "https://pvpdata.table.core.windows.net/",
                ["Storage:BlobServiceUri"] = "https://pvpdata.blob.core.windows.net/",
                ["Storage:QueueServiceUri"] = "https://pvpdata.queue.core.windows.net/",
            }
        );
        azure.GetRequiredService<IStartupValidator>().Validate();
        Assert.True(azure.GetRequiredService<IOptions<StorageOptions>>().Value.UsesIdentity);
    }
}
