using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace PvpServerless.Reports.Nightly;

/// <summary>
/// Makes report runs for one cut-off day take turns, on one machine and across Azure instances alike: a run holds a
/// blob lease on <c>locks/{yyyy-MM-dd}.lock</c> in the reports container for as long as it works on that day's
/// folder and <c>latest.json</c>. The lease lasts <see cref="LeaseDuration"/> and is renewed in the background, so a
/// crashed run frees the day within a minute; a run that loses its lease is cancelled before it can publish.
/// </summary>
public sealed class DayLock(TimeProvider clock)
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    public static string BlobName(DateOnly day) => $"locks/{day:yyyy-MM-dd}.lock";

    /// <summary>Waits (polling, at most <paramref name="wait"/>) until the day is free, then holds it.</summary>
    public async Task<Held> AcquireAsync(
        BlobContainerClient container,
        DateOnly day,
        TimeSpan wait,
        CancellationToken cancellationToken
    )
    {
        var blob = container.GetBlobClient(BlobName(day));
        try
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412) { } // exists (or is leased): fine
        var lease = blob.GetBlobLeaseClient();
        var deadline = clock.GetUtcNow() + wait;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
                return new Held(lease, clock, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && clock.GetUtcNow() < deadline)
            {
                // Another run has the day: wait for it to finish rather than write over it.
                var pause = TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(1.5, attempt)));
                await Task.Delay(pause * (0.5 + Random.Shared.NextDouble() / 2), clock, cancellationToken);
            }
        }
    }

    /// <summary>A held day. <see cref="Token"/> is cancelled if the lease is lost; disposing releases it.</summary>
    public sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _lost;
        private readonly Task _renewing;

        internal Held(BlobLeaseClient lease, TimeProvider clock, CancellationToken cancellationToken)
        {
            _lease = lease;
            _lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _renewing = RenewAsync(clock);
        }

        public CancellationToken Token => _lost.Token;

        private async Task RenewAsync(TimeProvider clock)
        {
            using var timer = new PeriodicTimer(RenewEvery, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(_lost.Token))
                    await _lease.RenewAsync(cancellationToken: _lost.Token);
            }
            catch (OperationCanceledException) { }
            catch (RequestFailedException)
            {
                await _lost.CancelAsync(); // lost the day: stop before publishing anything more
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _lost.CancelAsync();
            await _renewing;
            try
            {
                await _lease.ReleaseAsync(cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException) { } // expired or taken meanwhile: nothing of ours to release
            _lost.Dispose();
        }
    }
}
