using System.Diagnostics;
using System.Globalization;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Cli;

/// <summary>
/// The real ./pvp (pvp.dll from the test output) as a child process, in a process group of its own as a shell job
/// is, on a checkout of its own: a temporary root with this repository's Azurite install and settings sample, so
/// that its .pvp/azurite is the test's alone.
/// </summary>
public sealed class PvpProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _out = [];
    private readonly List<string> _error = [];
    private readonly Lock _gate = new();

    private PvpProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Out
    {
        get
        {
            lock (_gate)
                return string.Join('\n', _out);
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
                return string.Join('\n', _error);
        }
    }

    /// <summary>A checkout for ./pvp: tools/azurite linked to this repository's, the settings sample copied.</summary>
    public static string NewRoot()
    {
        var root = Directory.CreateTempSubdirectory("pvp-root-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "tools"));
        File.CreateSymbolicLink(
            Path.Combine(root, "tools", "azurite"),
            Path.Combine(AzuriteFixture.RepoRoot, "tools", "azurite")
        );
        File.Copy(
            Path.Combine(AzuriteFixture.RepoRoot, "local.settings.sample.json"),
            Path.Combine(root, "local.settings.sample.json")
        );
        return root;
    }

    /// <summary>Starts <c>./pvp args</c> under setsid: its own process group, as a job started from a shell.</summary>
    public static PvpProcess Start(string root, params string[] args)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            Environment = { ["PVP_ROOT"] = root, ["PVP_DEBUG"] = "1" },
        };
        foreach (var a in (string[])["dotnet", Path.Combine(AppContext.BaseDirectory, "pvp.dll"), .. args])
            start.ArgumentList.Add(a);
        var pvp = new PvpProcess(Process.Start(start)!);
        pvp._process.OutputDataReceived += (_, e) => pvp.Add(pvp._out, e.Data);
        pvp._process.ErrorDataReceived += (_, e) => pvp.Add(pvp._error, e.Data);
        pvp._process.BeginOutputReadLine();
        pvp._process.BeginErrorReadLine();
        return pvp;
    }

    /// <summary>The first stdout line starting with <paramref name="prefix"/> (after trimming), once it comes.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            lock (_gate)
            {
                if (_out.FirstOrDefault(l => l.TrimStart().StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                    return line;
            }
            if (_process.HasExited || Stopwatch.GetElapsedTime(deadline) > within)
                throw new TimeoutException($"./pvp printed no '{prefix}' line.\nstdout:\n{Out}\nstderr:\n{Error}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Signals the whole process group, as a terminal's Ctrl-C or a service manager's stop does.</summary>
    public async Task SignalGroupAsync(string signal)
    {
        using var kill = Process.Start(
            "kill",
            [$"-{signal}", "--", $"-{_process.Id.ToString(CultureInfo.InvariantCulture)}"]
        );
        await kill.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"./pvp did not exit.\nstdout:\n{Out}\nstderr:\n{Error}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SignalGroupAsync("TERM");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            lines.Add(line);
    }
}
