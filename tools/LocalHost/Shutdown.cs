using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace PvpServerless.LocalHost;

/// <summary>
/// The local host's lifetime when its caller owns the process's signals. The default console lifetime takes SIGINT
/// and SIGTERM for itself; ./pvp handles them so that it can let the requests in flight finish before it stops
/// Azurite, and a test host must not be kept alive by a host it started.
/// </summary>
internal sealed class CallerOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>How many HTTP requests the host is handling now (shown while a stop waits for them).</summary>
public sealed class RequestsInFlight
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _count);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
