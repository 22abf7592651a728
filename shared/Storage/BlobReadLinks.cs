using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace PvpServerless.Storage;

/// <summary>
/// Read-only links to single blobs, valid for at most <see cref="MaxLifetime"/>. On an identity (Azure, where shared
/// keys are off) a user delegation SAS: signed with a key the service hands to the app's managed identity (role
/// Storage Blob Delegator), HTTPS only, and never granting more than the identity itself may do. With a connection
/// string (Azurite) an account-key SAS.
/// </summary>
public sealed class BlobReadLinks(BlobServiceClient service, TimeProvider clock)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(15);

    // One delegation key serves many links: asked for once an hour, not once per link.
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private UserDelegationKey? _key;

    /// <param name="contentDisposition">Sent back with the download, e.g. attachment; filename="…".</param>
    public async Task<Uri> CreateAsync(
        BlobClient blob,
        TimeSpan lifetime,
        string? contentDisposition,
        CancellationToken cancellationToken
    )
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A link lives 1 s to 15 minutes.");
        var expires = clock.GetUtcNow().Add(lifetime);
        // No start time: valid from now, so the window is exactly the lifetime.
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expires)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            ContentDisposition = contentDisposition,
        };
        if (blob.CanGenerateSasUri)
            return blob.GenerateSasUri(sas);

        sas.Protocol = SasProtocol.Https;
        var key = await KeyValidUntilAsync(expires, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, service.AccountName) }.ToUri();
    }

    private async Task<UserDelegationKey> KeyValidUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await _keyGate.WaitAsync(cancellationToken);
        try
        {
            if (_key is null || _key.SignedExpiresOn < until)
            {
                var now = clock.GetUtcNow();
                _key = (
                    await service.GetUserDelegationKeyAsync(now.AddMinutes(-5), now.Add(KeyLifetime), cancellationToken)
                ).Value;
            }
            return _key;
        }
        finally
        {
            _keyGate.Release();
        }
    }
}
