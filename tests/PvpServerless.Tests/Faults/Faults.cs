namespace PvpServerless.Tests.Faults;

/// <summary>
/// Which fault scenarios run: the fast ones always (inside ./test), the slow ones only with <c>PVP_FAULTS=all</c>
/// (docs/evidence.md, "Faults").
/// </summary>
public static class FaultSuite
{
    public const string SlowSkip =
        "A slow fault scenario (Azurite or the host stopped and started again): run with PVP_FAULTS=all "
        + "dotnet test tests/PvpServerless.Tests --filter FullyQualifiedName~Faults";

    public static bool All => Environment.GetEnvironmentVariable("PVP_FAULTS") == "all";

    /// <summary>A line of figures for docs/evidence.md: on the test's output and in artifacts/faults.log.</summary>
    public static void Report(string scenario, string figures)
    {
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z {scenario}: {figures}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var folder = Path.Combine(Infrastructure.AzuriteFixture.RepoRoot, "artifacts");
        Directory.CreateDirectory(folder);
        lock (typeof(FaultSuite))
            File.AppendAllLines(Path.Combine(folder, "faults.log"), [line]);
    }
}
