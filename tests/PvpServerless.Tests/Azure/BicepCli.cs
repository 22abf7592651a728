using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (its path is written into this assembly at
/// build): <c>bicep build</c> and <c>bicep lint</c> of infra/ without network.
/// </summary>
public static class BicepCli
{
    public static string InfraFolder => Path.Combine(AzuriteFixture.RepoRoot, "infra");

    public static string MainFile => Path.Combine(InfraFolder, "main.bicep");

    private static readonly Lazy<Task<BicepResult>> CompiledMain = new(() => RunAsync("build", MainFile, "--stdout"));

    /// <summary>infra/main.bicep compiled once per test run (ARM JSON on stdout, diagnostics on stderr).</summary>
    public static Task<BicepResult> BuildMainAsync() => CompiledMain.Value;

    public static async Task<JsonElement> MainTemplateAsync()
    {
        var build = await BuildMainAsync();
        Assert.True(build.ExitCode == 0, $"bicep build failed:\n{build.Diagnostics}");
        return JsonDocument.Parse(build.Output).RootElement.Clone();
    }

    public static string Executable
    {
        get
        {
            var path = typeof(BicepCli)
                .Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BicepCli")
                .Value;
            Assert.True(File.Exists(path), $"The Bicep CLI is missing at '{path}': restore the test project.");
            return path!;
        }
    }

    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = InfraFolder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new BicepResult(process.ExitCode, await output, await errors);
    }
}

/// <param name="Diagnostics">What bicep wrote to stderr: its errors and warnings, one a line.</param>
public sealed record BicepResult(int ExitCode, string Output, string Diagnostics);
