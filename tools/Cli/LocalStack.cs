using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using PvpServerless.LocalHost;

namespace PvpServerless.Cli;

/// <summary>Azurite plus the local Functions host, as <c>./pvp up</c> and <c>./pvp demo</c> run them.</summary>
public sealed class LocalStack : IAsyncDisposable
{
    private readonly Azurite _azurite;
    private readonly WebApplication _host;

    private LocalStack(Azurite azurite, WebApplication host, string url, IReadOnlyDictionary<string, string> keys, string masterKey) =>
        (_azurite, _host, Url, FunctionKeys, MasterKey) = (azurite, host, url, keys, masterKey);

    public string Url { get; }
    public IReadOnlyDictionary<string, string> FunctionKeys { get; }
    public string MasterKey { get; }
    public string StorageConnectionString => _azurite.ConnectionString;

    /// <param name="dataDirectory">Azurite's data folder; null keeps the data in memory.</param>
    /// <param name="extraValues">Settings on top of local.settings.json.</param>
    public static async Task<LocalStack> StartAsync(
        string root, string? dataDirectory, (int Blob, int Queue, int Table)? ports, string url, IReadOnlyDictionary<string, string?> extraValues, TextWriter progress, CancellationToken cancellationToken)
    {
        var settingsFile = EnsureLocalSettings(root);
        var values = LocalFunctionsHost.ReadLocalSettings(settingsFile).ToDictionary(v => v.Key, v => v.Value);
        var azurite = await Azurite.StartAsync(root, dataDirectory, ports, progress, cancellationToken);
        try
        {
            var overrides = new Dictionary<string, string?>(extraValues) { ["AzureWebJobsStorage"] = azurite.ConnectionString };
            var host = LocalFunctionsHost.Build(new LocalHostSettings { Url = url, LocalSettingsFile = settingsFile, Values = overrides });
            await host.StartAsync(cancellationToken);
            var keys = values.Where(v => v.Key.StartsWith("LocalHost:FunctionKeys:", StringComparison.Ordinal))
                .ToDictionary(v => v.Key["LocalHost:FunctionKeys:".Length..], v => v.Value ?? "");
            return new LocalStack(azurite, host, url, keys, values.GetValueOrDefault("LocalHost:MasterKey") ?? "");
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes local.settings.json from the sample on first use, with fresh random keys; later runs keep it.</summary>
    public static string EnsureLocalSettings(string root)
    {
        var file = Path.Combine(root, "local.settings.json");
        if (File.Exists(file)) return file;
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!.AsObject();
        var values = sample["Values"]!.AsObject();
        foreach (var key in values.Select(v => v.Key).Where(k => k.StartsWith("LocalHost__FunctionKeys__", StringComparison.Ordinal) || k == "LocalHost__MasterKey").ToList())
        {
            values[key] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        }
        sample.Remove("Comments");
        File.WriteAllText(file, sample.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
