using System.Diagnostics.Metrics;

namespace PvpServerless.Benchmarks;

/// <summary>
/// Counts the HTTP requests this process sends to one port (Azurite's table endpoint), retries included, from the
/// runtime's own <c>http.client.request.duration</c> measurements (meter <c>System.Net.Http</c>): what the host's
/// storage clients cost under load, without touching the host.
/// </summary>
internal sealed class StorageRequestMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public StorageRequestMeter(int port)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>(
            (_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "server.port" && tag.Value is int p && p == port)
                        Interlocked.Increment(ref _count);
                }
            }
        );
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
