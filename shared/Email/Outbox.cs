using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Storage;

namespace PvpServerless.Email;

/// <summary>One e-mail as the Outbox transport keeps it (a JSON blob in the <c>outbox</c> container).</summary>
public sealed record OutboxMessage(
    string Id,
    string EmailId,
    string To,
    string Subject,
    string Kind,
    Wave Wave,
    Language Language,
    IReadOnlyList<string> Links,
    DateTimeOffset QueuedAt,
    string Text,
    string Html
);

/// <summary>
/// The transport for local runs and tests (<c>Email:Transport = Outbox</c>): each e-mail becomes one blob named
/// <c>{inverted ticks:D19}-{emailId}.json</c>, so a plain listing is newest first (docs/email.md).
/// </summary>
public sealed class OutboxTransport(PvpStorage storage, TimeProvider time, IOptions<EmailOptions> options)
    : IEmailTransport
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<SendResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        EmailIds.Require(email);
        var now = time.GetUtcNow();
        var id =
            $"{(DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}-"
            + email.EmailId;
        var message = new OutboxMessage(
            id,
            email.EmailId,
            email.To,
            email.Content.Subject,
            email.Kind.Code,
            email.Wave,
            email.Language,
            [.. email.Content.Links.Select(l => l.AbsoluteUri)],
            now,
            email.Content.Text,
            email.Content.Html
        );
        try
        {
            await storage
                .Outbox.GetBlobClient(id + ".json")
                .UploadAsync(
                    BinaryData.FromObjectAsJson(message, Json),
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                    cancellationToken
                );
            return new SendResult.Sent(id);
        }
        catch (RequestFailedException e)
        {
            return new SendResult.RetryLater(options.Value.DefaultRetryAfter, $"Outbox storage answered {e.Status}.");
        }
    }

    internal static bool IsId(string? id) =>
        id is { Length: > 20 } && id[19] == '-' && id[..19].All(char.IsAsciiDigit) && EmailIds.IsValid(id[20..]);
}

/// <summary>Reads the outbox: the newest e-mails first, or one by id (for the demo and tests).</summary>
public sealed class OutboxReader(PvpStorage storage)
{
    public const int MaxTake = 200;

    /// <summary>The newest <paramref name="take"/> e-mails (1 to <see cref="MaxTake"/>), newest first.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(int take, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, MaxTake);
        var names = new List<string>(take);
        // Blob listings come in name order, and names start with inverted ticks: the first page is the newest.
        await foreach (
            var page in storage.Outbox.GetBlobsAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: take)
        )
        {
            names.AddRange(page.Values.Select(b => b.Name).Take(take - names.Count));
            if (names.Count >= take)
                break;
        }
        var messages = await Task.WhenAll(names.Select(n => DownloadAsync(n, cancellationToken)));
        return [.. messages.OfType<OutboxMessage>()];
    }

    /// <summary>One e-mail by its id (as returned in <see cref="SendResult.Sent"/>); null when unknown.</summary>
    public Task<OutboxMessage?> GetAsync(string id, CancellationToken cancellationToken) =>
        OutboxTransport.IsId(id)
            ? DownloadAsync(id + ".json", cancellationToken)
            : Task.FromResult<OutboxMessage?>(null);

    private async Task<OutboxMessage?> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.Outbox.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<OutboxMessage>(OutboxTransport.Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
