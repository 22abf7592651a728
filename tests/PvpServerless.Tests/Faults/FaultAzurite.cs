using System.Diagnostics;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// An Azurite of one test's own, on a data folder at fixed ports, that the test stops (SIGTERM: Azurite saves) and
/// starts again on the same ports over the same folder, as storage going away and coming back. The shared in-memory
/// Azurite of the run cannot be stopped: every other test stands on it.
/// </summary>
public sealed class FaultAzurite : IAsyncDisposable
{
    private readonly string _data;
    private readonly (int Blob, int Queue, int Table) _ports;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<TimeSpan> _outages = [];
    private Azurite? _running;
    private long _stoppedAt;

    private FaultAzurite(string data, (int, int, int) ports) => (_data, _ports) = (data, ports);

    public string ConnectionString => Azurite.ConnectionStringFor(_ports.Blob, _ports.Queue, _ports.Table);

    /// <summary>How long each outage lasted, from the stop to the ports open again.</summary>
    public IReadOnlyList<TimeSpan> Outages
    {
        get
        {
            lock (_outages)
                return [.. _outages];
        }
    }

    public static async Task<FaultAzurite> StartAsync(CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("pvp-faults-").FullName;
        var azurite = new FaultAzurite(data, (Azurite.FreePort(), Azurite.FreePort(), Azurite.FreePort()));
        await azurite.StartAgainAsync(cancellationToken);
        return azurite;
    }

    /// <summary>Stops Azurite now (it saves first); requests fail until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_running is null)
                return;
            _stoppedAt = Stopwatch.GetTimestamp();
            await _running.DisposeAsync();
            _running = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts Azurite on the same ports and data folder (a no-op while it runs).</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_running is not null)
                return;
            _running = await Azurite.StartAsync(
                AzuriteFixture.RepoRoot,
                _data,
                _ports,
                TextWriter.Null,
                cancellationToken
            );
            if (_stoppedAt != 0)
            {
                lock (_outages)
                    _outages.Add(Stopwatch.GetElapsedTime(_stoppedAt));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops Azurite, keeps it down for <paramref name="down"/>, starts it again.</summary>
    public async Task OutageAsync(TimeSpan down, CancellationToken cancellationToken)
    {
        await StopAsync();
        await Task.Delay(down, cancellationToken);
        await StartAgainAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _gate.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException) { } // a file Azurite still flushes: the temp folder is cleaned by the system
    }
}
