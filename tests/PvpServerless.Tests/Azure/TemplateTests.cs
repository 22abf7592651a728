using System.Text.Json;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// infra/ without a cloud: it builds and lints clean with the pinned Bicep CLI, and what it creates matches what the
/// code uses (tables, container, queues, anonymous paths, watched functions, scale settings).
/// </summary>
public sealed class TemplateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bicep_build_succeeds_without_a_warning()
    {
        var build = await BicepCli.BuildMainAsync();
        Assert.True(build.ExitCode == 0, build.Diagnostics);
        Assert.Equal("", build.Diagnostics.Trim());
        Assert.NotEmpty(new ArmTemplate(JsonDocument.Parse(build.Output).RootElement).Resources);
    }

    [Fact]
    public async Task Bicep_lint_of_every_file_finds_nothing()
    {
        var lint = await BicepCli.RunAsync("lint", "--pattern", "**/*.bicep");
        Assert.True(lint.ExitCode == 0, lint.Diagnostics + lint.Output);
        Assert.Equal("", (lint.Diagnostics + lint.Output).Trim());
    }

    [Fact]
    public async Task The_parameters_file_sets_every_required_parameter_and_only_declared_ones()
    {
        var declared = (await ArmTemplate.MainAsync()).Parameters;
        using var file = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(BicepCli.InfraFolder, "main.parameters.json"), Ct)
        );
        var given = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        SettingsTests.None(given.Where(p => !declared.TryGetProperty(p, out _)).Select(p => $"{p}: not in main.bicep"));
        SettingsTests.None(
            declared
                .EnumerateObject()
                .Where(p => !p.Value.TryGetProperty("defaultValue", out _) && !given.Contains(p.Name))
                .Select(p => $"{p.Name}: required by main.bicep, missing in main.parameters.json")
        );
    }

    [Fact]
    public async Task The_template_creates_every_table_and_container_the_code_opens()
    {
        var template = await ArmTemplate.MainAsync();
        var storage = new PvpStorage(
            Microsoft.Extensions.Options.Options.Create(
                new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }
            )
        );
        var tables = new[] { "data-storage", "contacts-storage" }
            .SelectMany(m => template.Names(template.Argument(m, "tables")))
            .ToHashSet();
        var containers = template.Names(template.Argument("data-storage", "containers")).ToHashSet();

        Assert.Subset(
            tables,
            new HashSet<string>
            {
                storage.Patients.Name,
                storage.Schedule.Name,
                storage.Contacts.Name,
                storage.Tokens.Name,
                storage.FollowUpStatus.Name,
                storage.FollowUpCounts.Name,
            }
        );
        Assert.Subset(containers, new HashSet<string> { storage.Reports.Name, storage.Outbox.Name });
        Assert.Equal(storage.Reports.Name, template.Argument("roles", "reportsContainer").GetString());
    }

    [Fact]
    public async Task Every_queue_a_function_is_triggered_by_is_created_with_its_poison_queue()
    {
        var template = await ArmTemplate.MainAsync();
        var queues = template.Names(template.Variable("workQueues")).ToHashSet();
        var settings = template.Argument("function-app", "appSettings");
        var triggered = FunctionsMetadata
            .Load()
            .Where(f => FunctionsMetadata.TriggerType(f) == "queueTrigger")
            .Select(f => FunctionsMetadata.Trigger(f).GetProperty("queueName").GetString()!)
            .Select(name =>
                name.StartsWith('%') && settings.TryGetProperty(name.Trim('%'), out var value)
                    ? template.Resolve(value).GetString()!
                    : name
            );
        SettingsTests.None(
            triggered.Where(q => !queues.Contains(q)).Select(q => $"{q}: add it to workQueues in main.bicep")
        );
        Assert.Contains("'{0}-poison'", template.Argument("data-storage", "queues").GetString());
    }

    [Fact]
    public async Task Every_timer_function_is_watched_by_the_failure_alert_and_every_watched_function_exists()
    {
        var template = await ArmTemplate.MainAsync();
        var watched = template
            .Argument("alerts", "watchedFunctions")
            .EnumerateArray()
            .Select(f => f.GetString()!)
            .ToList();
        var functions = FunctionsMetadata.Load();
        var timers = functions
            .Where(f => FunctionsMetadata.TriggerType(f) == "timerTrigger")
            .Select(FunctionsMetadata.Name);
        var background = functions
            .Where(f => FunctionsMetadata.TriggerType(f) != "httpTrigger")
            .Select(FunctionsMetadata.Name);

        SettingsTests.None(timers.Where(t => !watched.Contains(t)).Select(t => $"{t}: add it to watchedFunctions"));
        SettingsTests.None(
            watched.Where(w => !background.Contains(w)).Select(w => $"{w}: no such timer or queue function")
        );
    }

    /// <summary>
    /// Sign-in (App Service Authentication) stands in front of everything but the anonymous paths: the coordinator
    /// routes must not be among them; the researcher API (function keys), the survey pages and the SendGrid webhook
    /// (anonymous at the function level) and the admin API must be.
    /// </summary>
    [Fact]
    public async Task Sign_in_guards_the_coordinator_routes_and_skips_the_researcher_patient_and_webhook_routes()
    {
        var template = await ArmTemplate.MainAsync();
        var anonymous = template
            .Argument("function-app", "anonymousPaths")
            .EnumerateArray()
            .Select(p => p.GetString()!)
            .ToList();
        var sample = SampleSettings.Load();
        bool KeyNamed(string function, string key) =>
            sample.Values.ContainsKey($"LocalHost__Functions__{function}__Keys__{key}");
        bool Skipped(string path) =>
            anonymous.Any(a =>
                a.EndsWith("/*", StringComparison.Ordinal)
                    ? path.StartsWith(a[..^1], StringComparison.Ordinal)
                    : path == a
            );

        var problems = new List<string>();
        foreach (var function in FunctionsMetadata.Load().Where(f => FunctionsMetadata.TriggerType(f) == "httpTrigger"))
        {
            var trigger = FunctionsMetadata.Trigger(function);
            var name = FunctionsMetadata.Name(function);
            // A concrete path of the route: every {parameter} filled in.
            var path =
                "/api/"
                + System.Text.RegularExpressions.Regex.Replace(
                    trigger.GetProperty("route").GetString()!,
                    "{[^}]+}",
                    "x"
                );
            var anonymousLevel = trigger.GetProperty("authLevel").GetString() == "Anonymous";
            if (KeyNamed(name, "coordinator") && Skipped(path))
                problems.Add($"{name} ({path}) is a coordinator route but skips sign-in");
            if ((KeyNamed(name, "researcher") || anonymousLevel) && !Skipped(path))
                problems.Add($"{name} ({path}) would ask for sign-in: add it to anonymousPaths");
        }
        if (!Skipped("/admin/functions/NightlyReport"))
            problems.Add("the admin API (master key) would ask for sign-in");
        SettingsTests.None(problems);

        var auth = template
            .Module("function-app")
            .ResourcesOfType("Microsoft.Web/sites/config")
            .Single(r => r.GetProperty("name").GetString()!.Contains("authsettingsV2"))
            .GetProperty("properties");
        Assert.True(auth.GetProperty("globalValidation").GetProperty("requireAuthentication").GetBoolean());
        var secretSetting = auth.GetProperty("identityProviders")
            .GetProperty("azureActiveDirectory")
            .GetProperty("registration")
            .GetProperty("clientSecretSettingName")
            .GetString()!;
        Assert.True(
            template.Argument("function-app", "appSettings").TryGetProperty(secretSetting, out _),
            secretSetting
        );
    }

    [Fact]
    public async Task The_runtime_is_dotnet_isolated_10_on_flex_consumption_with_a_managed_identity()
    {
        var app = (await ArmTemplate.MainAsync()).Module("function-app");
        var plan = Assert.Single(app.ResourcesOfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        var site = Assert.Single(app.ResourcesOfType("Microsoft.Web/sites"));
        Assert.Equal("SystemAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Equal(
            "SystemAssignedIdentity",
            config
                .GetProperty("deployment")
                .GetProperty("storage")
                .GetProperty("authentication")
                .GetProperty("type")
                .GetString()
        );
    }

    [Fact]
    public async Task Every_storage_account_refuses_shared_keys_plain_http_old_tls_and_public_blobs()
    {
        var storage = (await ArmTemplate.MainAsync()).Module("data-storage");
        var account = Assert
            .Single(storage.ResourcesOfType("Microsoft.Storage/storageAccounts"))
            .GetProperty("properties");
        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(account.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", account.GetProperty("minimumTlsVersion").GetString());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        var template = await ArmTemplate.MainAsync();
        Assert.True(template.Argument("data-storage", "protectBlobs").GetBoolean());
    }

    [Fact]
    public void Host_json_and_the_local_host_give_up_on_a_message_alike()
    {
        using var host = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "functions", "host.json"))
        );
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        var sample = SampleSettings.Load();
        Assert.Equal(
            sample.Values["LocalHost__MaxDequeueCount"],
            queues.GetProperty("maxDequeueCount").GetInt32().ToString()
        );
        Assert.Equal(
            sample.Values["LocalHost__VisibilityTimeout"],
            queues.GetProperty("visibilityTimeout").GetString()
        );
        Assert.Equal("OpenTelemetry", host.RootElement.GetProperty("telemetryMode").GetString());
    }
}
