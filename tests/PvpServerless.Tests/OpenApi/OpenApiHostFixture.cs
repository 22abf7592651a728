using System.Text.Json;
using System.Text.RegularExpressions;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.OpenApi;

/// <summary>
/// The local host keyed as a deployment is: every function key of local.settings.sample.json (coordinator,
/// researcher) gets a value of its own, so a route opens only to the key its documentation names. The nightly
/// report is made for the documented report day.
/// </summary>
public sealed partial class OpenApiHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    /// <summary>The day of the report the examples download (the example of <c>{day}</c>).</summary>
    public const string ReportDay = "2026-04-30";

    [GeneratedRegex("^LocalHost__Functions__([A-Za-z0-9]+)__Keys__([A-Za-z0-9]+)$")]
    private static partial Regex FunctionKeySetting();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings
    {
        get
        {
            using var sample = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "local.settings.sample.json"))
            );
            var settings = new Dictionary<string, string?> { ["Reports:CutoffDate"] = ReportDay };
            foreach (var value in sample.RootElement.GetProperty("Values").EnumerateObject())
            {
                if (FunctionKeySetting().Match(value.Name) is { Success: true } m)
                    settings[$"LocalHost:Functions:{m.Groups[1]}:Keys:{m.Groups[2]}"] = KeyOf(m.Groups[2].Value);
            }
            return settings;
        }
    }

    /// <summary>The key of a role as this host knows it: the master key, or the function key of that name.</summary>
    public static string KeyOf(string role) => role == "master" ? MasterKey : $"{role}-test-key";

    /// <summary>A client that sends no key unless told and does not follow redirects (a link is the answer).</summary>
    public HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Client.BaseAddress };
}
