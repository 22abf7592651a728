using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// Everything a host keeps under its storage name prefix: every row of every table (with its ETag), every blob (with
/// its ETag) of every container, every queue's visible messages. Two snapshots compare line by line.
/// </summary>
public sealed record StorageSnapshot(IReadOnlyList<string> Lines)
{
    public static async Task<StorageSnapshot> TakeAsync(
        string connectionString,
        string prefix,
        CancellationToken cancellationToken
    )
    {
        var lines = new List<string>();
        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync(cancellationToken: cancellationToken))
        {
            if (!Owned(table.Name, prefix))
                continue;
            var client = tables.GetTableClient(table.Name);
            await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
                lines.Add($"table {table.Name} {row.PartitionKey} | {row.RowKey} {row.ETag}");
        }
        var blobs = new BlobServiceClient(connectionString);
        await foreach (var container in blobs.GetBlobContainersAsync(cancellationToken: cancellationToken))
        {
            if (!Owned(container.Name, prefix))
                continue;
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(cancellationToken: cancellationToken))
                lines.Add($"blob {container.Name}/{blob.Name} {blob.Properties.ETag}");
        }
        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync(cancellationToken: cancellationToken))
        {
            if (!Owned(queue.Name, prefix))
                continue;
            var client = queues.GetQueueClient(queue.Name);
            var peeked = await client.PeekMessagesAsync(32, cancellationToken);
            lines.AddRange(peeked.Value.Select(m => $"queue {queue.Name} {m.MessageId} {m.DequeueCount}"));
        }
        lines.Sort(StringComparer.Ordinal);
        return new StorageSnapshot(lines);
    }

    /// <summary>What <paramref name="after"/> has that this has not (+), and the reverse (-); empty if equal.</summary>
    public IReadOnlyList<string> Differences(StorageSnapshot after) =>
        [.. after.Lines.Except(Lines).Select(l => "+ " + l), .. Lines.Except(after.Lines).Select(l => "- " + l)];

    // Tables are named without dashes, containers and queues in lower case: compare without case.
    private static bool Owned(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
