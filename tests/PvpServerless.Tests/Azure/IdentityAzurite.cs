using System.Diagnostics;
using System.Net.Sockets;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// An Azurite of its own that behaves like an Azure account with shared keys off: HTTPS with a throw-away certificate
/// and "--oauth basic", so that clients reach it by service URI and bearer token (<see cref="FakeEntraCredential"/>)
/// and user delegation keys can be asked for. In memory; stopped with the test class.
/// </summary>
public sealed class IdentityAzurite : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pvp-azurite-oauth-").FullName;
    private Process? _process;

    public SelfSignedCertificate Certificate { get; private set; } = null!;

    public int BlobPort { get; } = Azurite.FreePort();
    public int QueuePort { get; } = Azurite.FreePort();
    public int TablePort { get; } = Azurite.FreePort();

    public string TableServiceUri => $"https://127.0.0.1:{TablePort}/devstoreaccount1";
    public string BlobServiceUri => $"https://127.0.0.1:{BlobPort}/devstoreaccount1";
    public string QueueServiceUri => $"https://127.0.0.1:{QueuePort}/devstoreaccount1";

    public async ValueTask InitializeAsync()
    {
        Certificate = new SelfSignedCertificate(_folder);
        var script = await Azurite.EnsureInstalledAsync(AzuriteFixture.RepoRoot, TextWriter.Null, default);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var argument in (string[])
                [
                    script,
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    $"{BlobPort}",
                    "--queueHost",
                    "127.0.0.1",
                    "--queuePort",
                    $"{QueuePort}",
                    "--tableHost",
                    "127.0.0.1",
                    "--tablePort",
                    $"{TablePort}",
                    "--oauth",
                    "basic",
                    "--cert",
                    Certificate.CertificateFile,
                    "--key",
                    Certificate.KeyFile,
                    "--skipApiVersionCheck",
                    "--disableTelemetry",
                    "--silent",
                    "--inMemoryPersistence",
                ]
        )
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var started = Stopwatch.GetTimestamp(); // a duration, not a clock reading
        foreach (var port in (int[])[BlobPort, QueuePort, TablePort])
        {
            while (!await IsOpenAsync(port))
            {
                if (_process.HasExited || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
                    throw new InvalidOperationException($"Azurite (OAuth, HTTPS) did not open port {port}.");
                await Task.Delay(100);
            }
        }
    }

    private static async Task<bool> IsOpenAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        Certificate?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
