using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PvpServerless.Storage;

public static class StorageServices
{
    /// <summary>Name of the Contacts table client (a separate account or the data account).</summary>
    public const string ContactsClient = "Contacts";

    /// <summary>
    /// <see cref="StorageOptions"/> (validated at start-up) and the SDK clients through Microsoft.Extensions.Azure:
    /// one credential (DefaultAzureCredential, which is the managed identity on Azure) and one set of client defaults
    /// (retries, diagnostics) for every client, and the SDK's own logs forwarded to ILogger.
    /// </summary>
    public static IServiceCollection AddPvpStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .PostConfigure(o =>
            {
                // Without service URIs the Functions host's own storage is the default, as with Azurite.
                if (!o.UsesIdentity && string.IsNullOrWhiteSpace(o.ConnectionString))
                    o.ConnectionString = configuration["AzureWebJobsStorage"] ?? "";
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>()
        );

        services.AddAzureClients(clients =>
        {
            // Built on first use only, and not at all with a connection string.
            clients.UseCredential(_ => new DefaultAzureCredential());
            clients.AddClient<TableServiceClient, TableClientOptions>(
                (options, credential, sp) => StorageClients.Tables(Options(sp), options, credential)
            );
            clients
                .AddClient<TableServiceClient, TableClientOptions>(
                    (options, credential, sp) => StorageClients.ContactTables(Options(sp), options, credential)
                )
                .WithName(ContactsClient);
            clients.AddClient<BlobServiceClient, BlobClientOptions>(
                (options, credential, sp) => StorageClients.Blobs(Options(sp), options, credential)
            );
            clients.AddClient<QueueServiceClient, QueueClientOptions>(
                (options, credential, sp) => StorageClients.Queues(Options(sp), options, credential)
            );
        });

        services.TryAddSingleton(sp => new PvpStorage(
            Options(sp),
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IAzureClientFactory<TableServiceClient>>().CreateClient(ContactsClient),
            sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<QueueServiceClient>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System
        ));
        return services;
    }

    private static StorageOptions Options(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<StorageOptions>>().Value;
}
