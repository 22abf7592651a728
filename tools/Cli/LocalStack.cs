using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.LocalHost;

namespace PvpServerless.Cli;

/// <summary>
/// Azurite plus the local Functions host, as <c>./pvp up</c> and <c>./pvp demo</c> run them. Stopped as a server should
/// be: new requests are refused, those in flight finish, and only then does Azurite get its SIGTERM and save.
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    /// <summary>How long a stop waits for the requests in flight before it aborts them.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly Azurite _azurite;
    private readonly WebApplication _host;
    private Task? _stopped;

    private LocalStack(
        Azurite azurite,
        WebApplication host,
        string url,
        IReadOnlyDictionary<string, string> keys,
        string masterKey
    ) => (_azurite, _host, Url, FunctionKeys, MasterKey) = (azurite, host, url, keys, masterKey);

    public string Url { get; }
    public IReadOnlyDictionary<string, string> FunctionKeys { get; }
    public string MasterKey { get; }
    public string StorageConnectionString => _azurite.ConnectionString;

    /// <summary>The functions' services (the demo's study runs the scheduler and sender through them).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>HTTP requests being handled now.</summary>
    public int RequestsInFlight => _host.Services.GetRequiredService<RequestsInFlight>().Count;

    /// <param name="dataDirectory">
    /// Azurite's data folder; null keeps the data in memory. Refused (<see cref="DataFolderInUseException"/>) while
    /// another Azurite runs on it.
    /// </param>
    /// <param name="extraValues">Settings on top of local.settings.json.</param>
    public static Task<LocalStack> StartAsync(
        string root,
        string? dataDirectory,
        (int Blob, int Queue, int Table)? ports,
        string url,
        IReadOnlyDictionary<string, string?> extraValues,
        TextWriter progress,
        CancellationToken cancellationToken
    ) => StartAsync(root, dataDirectory, ports, url, extraValues, clock: null, progress, cancellationToken);

    /// <param name="clock">The functions' clock (null: the system's); the demo's study moves it.</param>
    public static async Task<LocalStack> StartAsync(
        string root,
        string? dataDirectory,
        (int Blob, int Queue, int Table)? ports,
        string url,
        IReadOnlyDictionary<string, string?> extraValues,
        TimeProvider? clock,
        TextWriter progress,
        CancellationToken cancellationToken
    )
    {
        var settingsFile = EnsureLocalSettings(root);
        var values = LocalFunctionsHost.ReadLocalSettings(settingsFile).ToDictionary(v => v.Key, v => v.Value);
        var azurite = await Azurite.StartAsync(root, dataDirectory, ports, progress, cancellationToken);
        WebApplication? host = null;
        try
        {
            var overrides = new Dictionary<string, string?>(extraValues)
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
            };
            host = LocalFunctionsHost.Build(
                new LocalHostSettings
                {
                    Url = url,
                    LocalSettingsFile = settingsFile,
                    Values = overrides,
                    ShutdownTimeout = DrainTimeout,
                    Clock = clock,
                }
            );
            await host.StartAsync(cancellationToken);
            var keys = KeyNames(values);
            return new LocalStack(azurite, host, url, keys, values.GetValueOrDefault("LocalHost:MasterKey") ?? "");
        }
        catch
        {
            if (host is not null)
                await host.DisposeAsync();
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes local.settings.json from the sample on first use, with fresh random keys; later runs keep it and only add
    /// the settings a newer sample has (a new function's key gets the value its key name already has).
    /// </summary>
    public static string EnsureLocalSettings(string root)
    {
        var file = Path.Combine(root, "local.settings.json");
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!.AsObject();
        var current = File.Exists(file)
            ? JsonNode.Parse(File.ReadAllText(file))!.AsObject()
            : new JsonObject { ["IsEncrypted"] = false, ["Values"] = new JsonObject() };
        var values = current["Values"]!.AsObject();
        var byName = values
            .Where(v => IsKeySetting(v.Key))
            .GroupBy(v => KeyName(v.Key))
            .ToDictionary(g => g.Key, g => g.First().Value!.GetValue<string>());
        var changed = !File.Exists(file);
        foreach (var (key, value) in sample["Values"]!.AsObject())
        {
            if (values.ContainsKey(key))
                continue;
            changed = true;
            if (key == "FollowUp__TokenKey")
            {
                // The secret survey links are derived from: 32 random bytes, made once for this machine.
                values[key] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                continue;
            }
            if (!IsKeySetting(key))
            {
                values[key] = value?.DeepClone();
                continue;
            }
            var name = KeyName(key);
            if (!byName.TryGetValue(name, out var secret))
            {
                byName[name] = secret = Convert
                    .ToBase64String(RandomNumberGenerator.GetBytes(24))
                    .Replace('+', '-')
                    .Replace('/', '_');
            }
            values[key] = secret;
        }
        if (changed)
            File.WriteAllText(file, current.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }

    private static string KeyName(string setting) =>
        setting[(setting.LastIndexOf("__", StringComparison.Ordinal) + 2)..];

    private static bool IsKeySetting(string key) =>
        key == "LocalHost__MasterKey"
        || key.StartsWith("LocalHost__FunctionKeys__", StringComparison.Ordinal)
        || (
            key.StartsWith("LocalHost__Functions__", StringComparison.Ordinal)
            && key.Contains("__Keys__", StringComparison.Ordinal)
        );

    /// <summary>
    /// Every key name with its value: host keys and function keys (settings LocalHost:Functions:*:Keys:name).
    /// </summary>
    private static Dictionary<string, string> KeyNames(IReadOnlyDictionary<string, string?> values)
    {
        var keys = new Dictionary<string, string>();
        foreach (var (setting, value) in values)
        {
            var parts = setting.Split(':');
            if (value is null)
                continue;
            if (parts is ["LocalHost", "FunctionKeys", var host])
                keys[host] = value;
            if (parts is ["LocalHost", "Functions", _, "Keys", var name])
                keys[name] = value;
        }
        return keys;
    }

    /// <summary>
    /// Refuses new requests at once, lets those in flight finish (at most <see cref="DrainTimeout"/>, or until
    /// <paramref name="stopNow"/> is cancelled: then they are aborted), then stops Azurite with SIGTERM, which saves.
    /// </summary>
    public Task StopAsync(CancellationToken stopNow) => _stopped ??= StopOnceAsync(stopNow);

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task StopOnceAsync(CancellationToken stopNow)
    {
        try
        {
            await _host.StopAsync(stopNow);
        }
        finally
        {
            await _host.DisposeAsync();
            await _azurite.DisposeAsync();
        }
    }
}
