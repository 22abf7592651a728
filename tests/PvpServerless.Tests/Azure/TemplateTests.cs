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
    private static readonly IFormatProvider Invariant = System.Globalization.CultureInfo.InvariantCulture;

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
    /// Sign-in (App Service Authentication, authsettingsV2 of the built ARM JSON) stands in front of everything but
    /// exactly these: the survey pages and the SendGrid webhook (anonymous to the host: the link or the signature is
    /// the key), the researcher routes (function keys) and the host's admin API (master key). Every other route,
    /// the coordinator API, the outbox, the dashboard and whatever is added next, asks for sign-in; no exclusion is
    /// left over that covers nothing.
    /// </summary>
    [Fact]
    public async Task Sign_in_is_skipped_by_exactly_the_survey_webhook_researcher_and_admin_routes()
    {
        var template = await ArmTemplate.MainAsync();
        var auth = template
            .Module("function-app")
            .ResourcesOfType("Microsoft.Web/sites/config")
            .Single(r => r.GetProperty("name").GetString()!.Contains("authsettingsV2"))
            .GetProperty("properties");
        var validation = auth.GetProperty("globalValidation");
        Assert.True(validation.GetProperty("requireAuthentication").GetBoolean());
        Assert.Equal("RedirectToLoginPage", validation.GetProperty("unauthenticatedClientAction").GetString());
        Assert.True(auth.GetProperty("platform").GetProperty("enabled").GetBoolean());
        // The module's excludedPaths is main.bicep's anonymousPaths, passed on as it is.
        Assert.Equal("[parameters('anonymousPaths')]", validation.GetProperty("excludedPaths").GetString());
        var excluded = template
            .Argument("function-app", "anonymousPaths")
            .EnumerateArray()
            .Select(p => p.GetString()!)
            .ToList();
        bool Skips(string exclusion, string path) =>
            exclusion.EndsWith("/*", StringComparison.Ordinal)
                ? path.StartsWith(exclusion[..^1], StringComparison.Ordinal)
                : path == exclusion;
        bool Skipped(string path) => excluded.Any(e => Skips(e, path));

        var sample = SampleSettings.Load();
        var problems = new List<string>();
        var skippable = new List<string> { "/admin/functions/NightlyReport" };
        foreach (var function in FunctionsMetadata.Load().Where(f => FunctionsMetadata.TriggerType(f) == "httpTrigger"))
        {
            var trigger = FunctionsMetadata.Trigger(function);
            var name = FunctionsMetadata.Name(function);
            var route = trigger.GetProperty("route").GetString()!;
            // A concrete path of the route: every {parameter} filled in.
            var path = "/api/" + System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", "x");
            var anonymous = trigger.GetProperty("authLevel").GetString() == "Anonymous";
            var patientOrSendGrid = route.StartsWith("survey/", StringComparison.Ordinal) || route == "sendgrid/events";
            var researcher = sample.Values.ContainsKey($"LocalHost__Functions__{name}__Keys__researcher");
            if (patientOrSendGrid && !anonymous)
                problems.Add($"{name} ({path}): a survey page or the webhook must be anonymous to the host");
            var mustSkip = patientOrSendGrid || researcher;
            if (mustSkip)
                skippable.Add(path);
            if (mustSkip != Skipped(path))
                problems.Add(
                    mustSkip
                        ? $"{name} ({path}) would ask for sign-in: add it to anonymousPaths in main.bicep"
                        : $"{name} ({path}) skips sign-in: only survey, webhook, researcher and admin routes may"
                );
        }
        // Routes being built elsewhere (the dashboard, the coordinator follow-up API) must ask for sign-in too.
        foreach (var planned in (string[])["/api/dashboard", "/dashboard", "/api/followups/summary", "/api/outbox"])
        {
            if (Skipped(planned))
                problems.Add($"{planned} skips sign-in: coordinators' pages and data need it");
        }
        // The dashboard is anonymous to the Functions host and counts on this sign-in for its principal: none of its
        // routes, the sign-in page and the assets included, may skip it (docs/coordination.md, "Dashboard").
        var dashboard = FunctionsMetadata
            .Load()
            .Where(f => FunctionsMetadata.TriggerType(f) == "httpTrigger")
            .Select(f => "/api/" + FunctionsMetadata.Trigger(f).GetProperty("route").GetString()!)
            .Where(p => p.StartsWith("/api/dashboard", StringComparison.Ordinal))
            .Select(p => System.Text.RegularExpressions.Regex.Replace(p, "{[^}]+}", "x"))
            .Distinct()
            .ToList();
        Assert.True(dashboard.Count >= 8, $"{dashboard.Count} dashboard routes found");
        problems.AddRange(
            dashboard.Where(Skipped).Select(p => $"{p} skips sign-in: the dashboard needs the principal")
        );
        if (!Skipped("/admin/functions/NightlyReport"))
            problems.Add("the admin API (master key) would ask for sign-in");
        problems.AddRange(
            excluded
                .Where(e => !skippable.Any(p => Skips(e, p)))
                .Select(e => $"anonymousPaths has {e}, which covers no survey, webhook, researcher or admin route")
        );
        SettingsTests.None(problems);

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

    /// <summary>
    /// docs/deploy.md, "Scale", gives each scale setting with its reason: the values it gives are the template's
    /// defaults and host.json's, so that a changed number cannot leave its reason behind.
    /// </summary>
    [Fact]
    public async Task The_scale_table_of_the_deploy_guide_gives_the_values_the_template_and_host_json_set()
    {
        var parameters = (await ArmTemplate.MainAsync()).Parameters;
        string Default(string parameter) =>
            parameters.GetProperty(parameter).GetProperty("defaultValue").GetInt32().ToString("N0", Invariant);
        using var host = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "functions", "host.json"))
        );
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        int Int(string name) => queues.GetProperty(name).GetInt32();
        TimeSpan Time(JsonElement time) => TimeSpan.Parse(time.GetString()!, Invariant);
        string Seconds(JsonElement time) => $"{Time(time).TotalSeconds:0} s";
        double Minutes(JsonElement time) => Time(time).TotalMinutes;
        var expected = new Dictionary<string, string>
        {
            ["`maximumInstanceCount`"] = Default("maximumInstanceCount"),
            ["`httpPerInstanceConcurrency`"] = Default("httpPerInstanceConcurrency"),
            ["`alwaysReadyHttpInstances`"] = Default("alwaysReadyHttpInstances"),
            ["`instanceMemoryMB`"] = Default("instanceMemoryMB"),
            ["`functionTimeout` (host.json)"] = $"{Minutes(host.RootElement.GetProperty("functionTimeout"))} min",
            ["queue `batchSize` / `newBatchThreshold` (host.json)"] =
                $"{Int("batchSize")} / {Int("newBatchThreshold")}",
            ["`maxDequeueCount` / `visibilityTimeout`"] =
                $"{Int("maxDequeueCount")} / {Seconds(queues.GetProperty("visibilityTimeout"))}",
            ["`maxPollingInterval`"] = Seconds(queues.GetProperty("maxPollingInterval")),
        };
        var guide = File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "docs", "deploy.md"));
        var scale = guide[guide.IndexOf("## Scale", StringComparison.Ordinal)..];
        scale = scale[..scale.IndexOf("\n## ", StringComparison.Ordinal)];
        var documented = scale
            .Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Where(l => !l.StartsWith("| setting", StringComparison.Ordinal))
            .Select(l => l.Split(" | "))
            .ToDictionary(c => c[0][2..], c => c[1]);
        SettingsTests.None(
            expected
                .Where(e => documented.GetValueOrDefault(e.Key) != e.Value)
                .Select(e =>
                    $"{e.Key}: the guide says {documented.GetValueOrDefault(e.Key) ?? "nothing"}, "
                    + $"the template or host.json {e.Value}"
                )
        );
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
