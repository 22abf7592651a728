using System.Text.Json;
using PvpServerless.Functions;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.LocalHost;

/// <summary>
/// The Worker SDK writes functions.metadata at build: what the Azure Functions host will route and schedule. The local
/// host reads the same attributes by reflection. These tests hold the two together, so that a route, a method, an auth
/// level or a schedule cannot differ between Azure and a laptop.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly IReadOnlyList<FunctionDescriptor> Discovered = FunctionCatalog.Discover([
        typeof(FunctionServices).Assembly,
    ]);

    private static JsonElement Metadata()
    {
        // Same configuration as this test build (Debug or Release).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))
            .Parent!
            .Name;
        var path = Path.Combine(
            AzuriteFixture.RepoRoot,
            "functions",
            "bin",
            configuration,
            "net10.0",
            "functions.metadata"
        );
        Assert.True(File.Exists(path), $"{path} is missing: the Functions project did not build with the Worker SDK.");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    [Fact]
    public void Every_function_the_host_will_run_is_discovered_with_the_same_trigger()
    {
        var metadata = Metadata().EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(metadata.Keys.Order(), Discovered.Select(f => f.Name).Order());
        foreach (var function in Discovered)
        {
            var trigger = metadata[function.Name]
                .GetProperty("bindings")
                .EnumerateArray()
                .Single(b => b.GetProperty("direction").GetString() == "In");
            switch (function.Trigger)
            {
                case Trigger.Http http:
                    Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
                    Assert.Equal(http.Route, trigger.GetProperty("route").GetString());
                    Assert.Equal(http.Level.ToString(), trigger.GetProperty("authLevel").GetString());
                    Assert.Equal(
                        http.Methods,
                        trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())
                    );
                    break;
                case Trigger.Timer timer:
                    Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
                    Assert.Equal(timer.Schedule, trigger.GetProperty("schedule").GetString());
                    break;
                case Trigger.Queue queue:
                    Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
                    Assert.Equal(queue.QueueName, trigger.GetProperty("queueName").GetString());
                    break;
            }
        }
    }

    [Fact]
    public void The_sample_settings_define_every_schedule_setting_and_a_key_for_every_keyed_function()
    {
        using var sample = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "local.settings.sample.json"))
        );
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var function in Discovered)
        {
            switch (function.Trigger)
            {
                case Trigger.Timer { Schedule: var schedule } when schedule.StartsWith('%'):
                    Assert.Contains(schedule.Trim('%'), values);
                    break;
                case Trigger.Http { Level: Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function }:
                    Assert.Contains(
                        values,
                        v => v.StartsWith($"LocalHost__Functions__{function.Name}__Keys__", StringComparison.Ordinal)
                    );
                    break;
            }
        }
    }
}
