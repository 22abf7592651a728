using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using PvpServerless.Functions;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// Every setting the code reads is set by infra/main.bicep and listed in local.settings.sample.json, and nothing is set
/// that nothing reads. "Reads" means: options classes (a <c>const string Section</c> and their settable properties),
/// <c>%Setting%</c> names in trigger attributes (functions.metadata), and <c>configuration["…"]</c> in shared/ and
/// functions/. A new options class or key therefore fails these tests until the template and the sample have it:
/// one line in main.bicep's appSettings, one in the sample's Values and one in its Comments.
/// </summary>
public sealed partial class SettingsTests
{
    /// <summary>Read by the code, deliberately not set on Azure.</summary>
    private static readonly Dictionary<string, string> NotSetOnAzure = new()
    {
        ["AzureWebJobsStorage"] =
            "On Azure the host's storage is identity-based (AzureWebJobsStorage__*); the plain value is the local "
            + "connection-string fallback of Storage:ConnectionString.",
        ["Storage__ConnectionString"] = "Azurite only: on Azure no account has shared keys; the service URIs are set.",
        ["Storage__ContactsConnectionString"] = "Azurite only, as Storage__ConnectionString.",
        ["Storage__NamePrefix"] = "Tests and shared accounts only; empty on Azure.",
        ["Dashboard__LocalSignIn"] =
            "One machine only: absent on Azure is false, the safe default (the platform's identity is required).",
    };

    /// <summary>Options properties that are derived at start-up from another setting, never set themselves.</summary>
    private static readonly Dictionary<string, string> Derived = new()
    {
        ["FollowUp__QueueName"] = "Taken from InvitationsQueue (CoreServices), so the scheduler and the trigger agree.",
    };

    /// <summary>Set by the template for the platform (Functions host, Azure.Identity, App Service).</summary>
    private static readonly Dictionary<string, string> PlatformSettings = new()
    {
        ["AzureWebJobsStorage__credential"] = "The Functions host: its storage by managed identity.",
        ["AzureWebJobsStorage__blobServiceUri"] = "The Functions host: locks, keys, timer state.",
        ["AzureWebJobsStorage__queueServiceUri"] = "The Functions host: the queues that queue triggers read.",
        ["AZURE_TOKEN_CREDENTIALS"] = "Azure.Identity: DefaultAzureCredential goes straight to the managed identity.",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "The Functions host: telemetry with Entra ID.",
        ["MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"] = "App Service Authentication: the app registration's secret.",
    };

    /// <summary>In the sample for local runs only.</summary>
    private static bool LocalOnly(string setting) =>
        setting == "FUNCTIONS_WORKER_RUNTIME" || setting.StartsWith("LocalHost__", StringComparison.Ordinal);

    private static string AppSetting(string configurationKey) => configurationKey.Replace(":", "__");

    /// <summary>Settings the code reads, as app-setting names (Section__Key), with where each is read.</summary>
    public static IReadOnlyDictionary<string, string> ReadByCode()
    {
        var read = new Dictionary<string, string>();
        foreach (var assembly in (Assembly[])[typeof(PvpStorage).Assembly, typeof(FunctionServices).Assembly])
        {
            foreach (var type in assembly.GetTypes())
            {
                if (
                    type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                    && field.GetRawConstantValue() is string section
                )
                {
                    AddOptions(read, section, type, type.Name);
                }
            }
        }
        foreach (var function in FunctionsMetadata.Load())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                foreach (var property in binding.EnumerateObject())
                {
                    if (
                        property.Value.ValueKind == JsonValueKind.String
                        && Percent().Match(property.Value.GetString()!) is { Success: true } m
                    )
                        read[m.Groups[1].Value] = $"%{m.Groups[1].Value}% in {FunctionsMetadata.Name(function)}";
                }
            }
        }
        foreach (var folder in (string[])["shared", "functions"])
        {
            var root = Path.Combine(AzuriteFixture.RepoRoot, folder);
            foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                    continue;
                foreach (Match m in ConfigurationIndexer().Matches(File.ReadAllText(file)))
                {
                    read[AppSetting(m.Groups[1].Value)] = Path.GetRelativePath(AzuriteFixture.RepoRoot, file);
                }
            }
        }
        foreach (var derived in Derived.Keys)
        {
            read.Remove(derived);
        }
        return read;
    }

    private static void AddOptions(Dictionary<string, string> read, string prefix, Type type, string origin)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
                continue;
            var key = $"{prefix}__{property.Name}";
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (
                target.IsClass
                && target != typeof(string)
                && target != typeof(Uri)
                && !typeof(System.Collections.IEnumerable).IsAssignableFrom(target)
            )
                AddOptions(read, key, target, origin);
            else
                read[key] = $"{origin}.{property.Name}";
        }
    }

    private static async Task<IReadOnlyDictionary<string, JsonElement>> TemplateSettingsAsync() =>
        (await ArmTemplate.MainAsync())
            .Argument("function-app", "appSettings")
            .EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.Clone());

    [Fact]
    public async Task Every_setting_the_code_reads_is_set_by_the_template()
    {
        var template = await TemplateSettingsAsync();
        var missing = ReadByCode()
            .Where(r => !template.ContainsKey(r.Key) && !NotSetOnAzure.ContainsKey(r.Key))
            .Select(r => $"{r.Key} (read by {r.Value}): add it to appSettings in infra/main.bicep");
        None(missing);
    }

    [Fact]
    public async Task Every_template_setting_is_read_by_the_code_or_the_platform()
    {
        var read = ReadByCode();
        var unread = (await TemplateSettingsAsync()).Keys.Where(k =>
            !read.ContainsKey(k) && !PlatformSettings.ContainsKey(k)
        );
        None(unread);
    }

    [Fact]
    public void Every_setting_the_code_reads_has_a_value_in_the_sample_and_every_sample_value_is_read()
    {
        var read = ReadByCode();
        var sample = SampleSettings.Load();
        None(
            read.Keys.Where(k => !sample.Values.ContainsKey(k)).Select(k => $"{k} (read by {read[k]}): not in Values")
        );
        None(sample.Values.Keys.Where(k => !read.ContainsKey(k) && !LocalOnly(k)).Select(k => $"{k}: read by nothing"));
    }

    [Fact]
    public async Task Every_setting_of_the_sample_and_the_template_is_explained_in_the_samples_comments()
    {
        var sample = SampleSettings.Load();
        var undocumented = sample
            .Values.Keys.Concat((await TemplateSettingsAsync()).Keys)
            .Distinct()
            .Where(k => !sample.Documented.Contains(k) && !FunctionKeyPattern().IsMatch(k));
        None(undocumented);
    }

    [Fact]
    public async Task The_lists_of_exceptions_hold_only_what_is_still_true()
    {
        var read = ReadByCode();
        var template = await TemplateSettingsAsync();
        Assert.All(NotSetOnAzure.Keys, k => Assert.True(read.ContainsKey(k) && !template.ContainsKey(k), k));
        Assert.All(PlatformSettings.Keys, k => Assert.True(template.ContainsKey(k) && !read.ContainsKey(k), k));
    }

    [Fact]
    public async Task The_dashboards_local_sign_in_is_off_on_Azure_and_in_the_sample()
    {
        // Absent is false (DashboardOptions): the platform's identity is then required. True on Azure would let a
        // one-time link's cookie stand in for Entra ID sign-in and ignore the principal (docs/coordination.md).
        var template = await TemplateSettingsAsync();
        Assert.False(template.ContainsKey("Dashboard__LocalSignIn"), "infra/main.bicep sets Dashboard__LocalSignIn");
        Assert.False(new PvpServerless.Dashboard.DashboardOptions().LocalSignIn);
        Assert.Equal("false", SampleSettings.Load().Values["Dashboard__LocalSignIn"]);
    }

    [Fact]
    public async Task Queue_triggers_and_the_code_use_the_same_queue_endpoint()
    {
        var template = await TemplateSettingsAsync();
        Assert.Equal(
            template["Storage__QueueServiceUri"].GetString(),
            template["AzureWebJobsStorage__queueServiceUri"].GetString()
        );
    }

    [Fact]
    public async Task The_default_nightly_schedule_is_a_valid_six_field_ncrontab()
    {
        var template = await ArmTemplate.MainAsync();
        var schedule = template
            .Parameters.GetProperty("nightlyReportSchedule")
            .GetProperty("defaultValue")
            .GetString()!;
        var parsed = NCrontab.CrontabSchedule.TryParse(
            schedule,
            new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true }
        );
        Assert.NotNull(parsed);
    }

    /// <summary>Fails with every problem listed, one a line.</summary>
    internal static void None(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0)
            Assert.Fail(string.Join(Environment.NewLine, list));
    }

    [GeneratedRegex(@"^%([^%]+)%$")]
    private static partial Regex Percent();

    [GeneratedRegex(@"[Cc]onfiguration\[\s*""([^""]+)""\s*\]")]
    private static partial Regex ConfigurationIndexer();

    [GeneratedRegex(@"^LocalHost__Functions__[^_]+__Keys__[^_]+$")]
    private static partial Regex FunctionKeyPattern();
}
