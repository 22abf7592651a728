using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace PvpServerless.LocalHost;

/// <summary>Keys and knobs of the local host (configuration section <c>LocalHost</c>).</summary>
public sealed class LocalHostOptions
{
    public const string Section = "LocalHost";

    /// <summary>Named host keys, as on an Azure Functions app: any of them opens every Function-level route.</summary>
    public Dictionary<string, string> FunctionKeys { get; set; } = [];

    /// <summary>
    /// Keys of one function each, as Azure's function keys: <c>Functions:{FunctionName}:Keys:{keyName}</c>. A key that
    /// several functions share under one name (the researcher key) opens exactly those functions.
    /// </summary>
    public Dictionary<string, FunctionKeySet> Functions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The master key: opens Admin-level routes and <c>/admin/functions/{name}</c>.</summary>
    public string MasterKey { get; set; } = "";

    /// <summary>
    /// Run timer triggers on their schedules (tests and the demo turn this off and call the admin endpoint).
    /// </summary>
    public bool RunTimers { get; set; } = true;

    public bool RunQueues { get; set; } = true;

    /// <summary>Longest wait between two polls of an empty queue (the host's default is one minute).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// As the Functions host: after this many failed dequeues a message goes to the <c>-poison</c> queue.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 5;
}

public sealed class FunctionKeySet
{
    public Dictionary<string, string> Keys { get; set; } = [];
}

public static partial class AppSettings
{
    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Placeholder();

    /// <summary>
    /// Resolves <c>%Name%</c> in a trigger's schedule or queue name from configuration, as the Functions host does.
    /// </summary>
    public static string Resolve(string value, IConfiguration configuration) =>
        Placeholder()
            .Replace(
                value,
                m =>
                    configuration[m.Groups[1].Value]
                    ?? throw new InvalidOperationException(
                        $"Setting '{m.Groups[1].Value}' (used as %{m.Groups[1].Value}%) is not defined."
                    )
            );
}
