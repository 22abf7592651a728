using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Storage;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// A fault at an exact point of a run: before the first storage request that <paramref name="when"/> picks goes out,
/// <paramref name="fault"/> runs (e.g. stops Azurite), once. The request then meets the fault as the code would.
/// </summary>
public sealed class StorageFault(Func<HttpMessage, bool> when, Func<Task> fault) : HttpPipelinePolicy
{
    private int _fired;

    public bool Fired => Volatile.Read(ref _fired) == 1;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        BeforeAsync(message).GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await BeforeAsync(message);
        await ProcessNextAsync(message, pipeline);
    }

    private async Task BeforeAsync(HttpMessage message)
    {
        if (!Fired && when(message) && Interlocked.Exchange(ref _fired, 1) == 0)
            await fault();
    }

    /// <summary>The <paramref name="n"/>-th request that <paramref name="matches"/> picks (counted from 1).</summary>
    public static Func<HttpMessage, bool> Nth(int n, Func<HttpMessage, bool> matches)
    {
        var seen = 0;
        return m => matches(m) && Interlocked.Increment(ref seen) == n;
    }

    /// <summary>A message put on a queue.</summary>
    public static bool QueueSend(HttpMessage m) =>
        m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal);

    /// <summary>A blob upload whose name holds <paramref name="part"/>.</summary>
    public static Func<HttpMessage, bool> BlobUpload(string part) =>
        m =>
            m.Request.Method == RequestMethod.Put
            && m.Request.Uri.Path.Contains(part, StringComparison.Ordinal)
            && !m.Request.Uri.Query.Contains("comp=", StringComparison.Ordinal);

    /// <summary>
    /// The host's storage with <paramref name="policy"/> on every client (tables, blobs, queues): registered last, it
    /// is the <see cref="PvpStorage"/> every service of the host gets.
    /// </summary>
    public static void Install(
        IServiceCollection services,
        string connectionString,
        string prefix,
        HttpPipelinePolicy policy
    )
    {
        // The SDK retries as the host's own clients have them (StorageClients).
        var retry = new StorageRetryOptions();
        var tables = retry.ApplyTo(new TableClientOptions());
        tables.AddPolicy(policy, HttpPipelinePosition.PerCall);
        var blobs = retry.ApplyTo(new BlobClientOptions());
        blobs.AddPolicy(policy, HttpPipelinePosition.PerCall);
        // Messages are base64, as the Functions host's queue trigger expects (StorageClients.Queues).
        var queues = retry.ApplyTo(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        queues.AddPolicy(policy, HttpPipelinePosition.PerCall);
        var tableService = new TableServiceClient(connectionString, tables);
        services.AddSingleton(sp => new PvpStorage(
            new StorageOptions { ConnectionString = connectionString, NamePrefix = prefix },
            tableService,
            tableService,
            new BlobServiceClient(connectionString, blobs),
            new QueueServiceClient(connectionString, queues),
            sp.GetRequiredService<TimeProvider>()
        ));
    }
}
