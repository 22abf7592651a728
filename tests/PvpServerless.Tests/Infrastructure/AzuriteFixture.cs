using PvpServerless.LocalHost;

[assembly: AssemblyFixture(typeof(PvpServerless.Tests.Infrastructure.AzuriteFixture))]

namespace PvpServerless.Tests.Infrastructure;

/// <summary>
/// One Azurite for the whole test run, in memory, on free 127.0.0.1 ports. Tests isolate by name prefix.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;
    private int _prefixes;

    public string ConnectionString =>
        _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not running.");

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PvpServerless.sln")))
                dir = dir.Parent;
            return dir?.FullName
                ?? throw new InvalidOperationException("The repository root was not found above the test binaries.");
        }
    }

    /// <summary>A fresh table/container/queue name prefix, so each test class has storage of its own.</summary>
    public string NewPrefix() => $"t{Interlocked.Increment(ref _prefixes)}x{Guid.NewGuid().ToString("N")[..6]}";

    public async ValueTask InitializeAsync() =>
        _azurite = await Azurite.StartAsync(
            RepoRoot,
            dataDirectory: null,
            ports: null,
            TextWriter.Null,
            CancellationToken.None
        );

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
            await _azurite.DisposeAsync();
    }
}
