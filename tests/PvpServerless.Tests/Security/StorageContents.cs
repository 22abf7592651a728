using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace PvpServerless.Tests.Security;

/// <summary>One stored thing and all its text: a table row, a blob, a queue message.</summary>
public sealed record StoredItem(string Where, string Text);

/// <summary>
/// Everything in the storage account under one name prefix, read back as text: every row of every table (each
/// property as text; binary ones as base64 and hex, so a token kept as bytes is found too), every blob of every
/// container (UTF-8), every visible message of every queue. Other tests' storage (other prefixes) is left out.
/// </summary>
public static class StorageContents
{
    public static async Task<List<StoredItem>> ReadAsync(
        string connectionString,
        string prefix,
        Func<string, bool>? skipContainer,
        CancellationToken cancellationToken
    )
    {
        var items = new List<StoredItem>();
        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync(cancellationToken: cancellationToken))
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var client = tables.GetTableClient(table.Name);
            await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
                items.Add(new StoredItem($"table {table.Name} {row.PartitionKey}/{row.RowKey}", TextOf(row)));
        }
        var blobs = new BlobServiceClient(connectionString);
        var containers = blobs.GetBlobContainersAsync(prefix: prefix, cancellationToken: cancellationToken);
        await foreach (var container in containers)
        {
            if (skipContainer?.Invoke(container.Name) == true)
                continue;
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(cancellationToken: cancellationToken))
            {
                var content = await client.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken);
                items.Add(new StoredItem($"blob {container.Name}/{blob.Name}", content.Value.Content.ToString()));
            }
        }
        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: prefix, cancellationToken: cancellationToken))
        {
            var client = queues.GetQueueClient(queue.Name);
            var messages = await client.PeekMessagesAsync(32, cancellationToken);
            foreach (var message in messages.Value)
                items.Add(new StoredItem($"queue {queue.Name} {message.MessageId}", message.Body.ToString()));
        }
        return items;
    }

    private static string TextOf(TableEntity row)
    {
        var text = new StringBuilder().Append(row.PartitionKey).Append('\n').Append(row.RowKey);
        foreach (var (name, value) in row)
        {
            text.Append('\n').Append(name).Append('=');
            if (value is byte[] bytes)
                text.Append(Convert.ToBase64String(bytes)).Append(' ').Append(Convert.ToHexString(bytes));
            else
                text.Append(value);
        }
        return text.ToString();
    }
}
