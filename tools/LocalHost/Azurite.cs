using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PvpServerless.LocalHost;

/// <summary>
/// Azurite (Blob, Queue, Table) as a child process on free 127.0.0.1 ports, installed from the pinned npm package in
/// tools/azurite on first use (docs/storage.md). Flags and traps: always 127.0.0.1 (never localhost: the
/// Tables SDK would take it for the Cosmos emulator), --skipApiVersionCheck, --disableTelemetry; stopped with SIGTERM
/// so that it saves its data. It runs in a session of its own, so that a Ctrl-C in the terminal (which signals the
/// whole foreground process group) reaches ./pvp only: ./pvp lets its requests finish first, then stops Azurite. On a
/// data folder it holds the folder's <see cref="DataFolderLock"/> while it runs.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly DataFolderLock? _folder;

    private Azurite(Process process, DataFolderLock? folder, int blobPort, int queuePort, int tablePort) =>
        (_process, _folder, BlobPort, QueuePort, TablePort) = (process, folder, blobPort, queuePort, tablePort);

    /// <summary>The node process (benchmarks read its CPU time).</summary>
    public int ProcessId => _process.Id;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString => ConnectionStringFor(BlobPort, QueuePort, TablePort);

    /// <summary>The well-known Azurite account on 127.0.0.1 (never "localhost": see the class comment).</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;"
        + $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;"
        + $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <param name="repoRoot">The checkout (holds tools/azurite).</param>
    /// <param name="dataDirectory">
    /// Where Azurite keeps its data; null keeps it in memory. Refused with <see cref="DataFolderInUseException"/> while
    /// another Azurite runs on it.
    /// </param>
    /// <param name="ports">Blob, queue and table ports; null picks free ones.</param>
    public static async Task<Azurite> StartAsync(
        string repoRoot,
        string? dataDirectory,
        (int Blob, int Queue, int Table)? ports,
        TextWriter progress,
        CancellationToken cancellationToken
    )
    {
        var script = await EnsureInstalledAsync(repoRoot, progress, cancellationToken);
        var folder = dataDirectory is null ? null : DataFolderLock.Acquire(dataDirectory);
        try
        {
            return await StartAsync(
                script,
                folder,
                ports ?? (FreePort(), FreePort(), FreePort()),
                progress,
                cancellationToken
            );
        }
        catch
        {
            folder?.Dispose();
            throw;
        }
    }

    private static async Task<Azurite> StartAsync(
        string script,
        DataFolderLock? folder,
        (int Blob, int Queue, int Table) ports,
        TextWriter progress,
        CancellationToken cancellationToken
    )
    {
        var (blob, queue, table) = ports;
        // setsid (util-linux) gives node a session of its own; without it, as on a Mac, Azurite shares the terminal's
        // Ctrl-C and closes before the requests in flight have finished.
        var setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : null;
        var start = new ProcessStartInfo(setsid ?? "node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (setsid is not null)
            start.ArgumentList.Add("node");
        foreach (
            var a in (string[])
                [
                    script,
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    $"{blob}",
                    "--queueHost",
                    "127.0.0.1",
                    "--queuePort",
                    $"{queue}",
                    "--tableHost",
                    "127.0.0.1",
                    "--tablePort",
                    $"{table}",
                    "--skipApiVersionCheck",
                    "--disableTelemetry",
                    "--silent",
                ]
        )
        {
            start.ArgumentList.Add(a);
        }
        if (folder is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(folder.Folder);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
                progress.WriteLine($"azurite: {e.Data}");
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, folder, blob, queue, table);
        try
        {
            await azurite.WaitForPortsAsync(cancellationToken);
        }
        catch
        {
            // Also when cancelled while starting: never leave a node process behind.
            await azurite.DisposeAsync();
            throw;
        }
        folder?.Publish(blob, queue, table);
        return azurite;
    }

    /// <summary>Ports open after 1.5–4.5 s on these machines: poll them.</summary>
    private async Task WaitForPortsAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp(); // a duration, not a clock reading
        foreach (var port in (int[])[BlobPort, QueuePort, TablePort])
        {
            while (!await IsOpenAsync(port, cancellationToken))
            {
                if (_process.HasExited || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException(
                        $"Azurite did not open port {port} (exit code {(_process.HasExited ? _process.ExitCode : -1)})."
                    );
                }
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs <c>npm ci</c> in tools/azurite once (about 25–40 s, 360 MB); its postinstall step, patch-azurite.js, makes
    /// Azurite's entity lookups ask for the PartitionKey first (see that file: without it, inserting many patients is
    /// quadratic). An install from before the patch is patched here.
    /// </summary>
    public static async Task<string> EnsureInstalledAsync(
        string repoRoot,
        TextWriter progress,
        CancellationToken cancellationToken
    )
    {
        var folder = Path.Combine(repoRoot, "tools", "azurite");
        var script = Path.Combine(folder, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            progress.WriteLine("Installing Azurite 3.37.0 from npm (first run only, about half a minute)…");
            await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", folder, cancellationToken);
            if (!File.Exists(script))
                throw new InvalidOperationException($"npm ci in {folder} did not install Azurite.");
        }
        if (!File.Exists(Path.Combine(folder, "node_modules", ".pvp-azurite-patched")))
        {
            await RunAsync("node", "patch-azurite.js", folder, cancellationToken);
        }
        return script;
    }

    private static async Task RunAsync(
        string program,
        string arguments,
        string folder,
        CancellationToken cancellationToken
    )
    {
        using var process =
            Process.Start(
                new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, UseShellExecute = false }
            ) ?? throw new InvalidOperationException($"{program} did not start: Node.js 20 and npm are needed.");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"'{program} {arguments}' in {folder} failed (exit code {process.ExitCode})."
            );
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> IsOpenAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Stops Azurite with SIGTERM (it then saves its data) and waits for it; kills it after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            // Only once Azurite has saved and exited may another take the folder.
            _folder?.Dispose();
        }
    }

    private async Task StopAsync()
    {
        if (_process.HasExited)
        {
            _process.Dispose();
            return;
        }
        using (
            var term = Process.Start(
                "kill",
                ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            )
        )
        {
            await term.WaitForExitAsync(CancellationToken.None);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
