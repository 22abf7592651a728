using System.Text.Json;
using System.Text.RegularExpressions;
using PvpServerless.Email;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// The workspace transformation of infra/modules/telemetry-scrubbing.bicep: what the Functions host sends to
/// Application Insights by itself (request URLs with survey tokens, <c>?code=</c> keys) is rewritten before it is
/// stored. Azure cannot be reached from here, so the template's own patterns are run over real tokens (RE2, which
/// KQL's <c>replace_regex</c> uses, and .NET agree on these constructs), and its wiring is read from the compiled ARM.
/// </summary>
public sealed class TelemetryScrubbingTests
{
    private static async Task<ArmTemplate> ScrubbingAsync() =>
        (await ArmTemplate.MainAsync()).Module("monitoring").Module("telemetry-scrubbing");

    /// <summary>The template's two patterns with KQL's replacements (<c>\1</c> in KQL is <c>$1</c> in .NET).</summary>
    private static async Task<Func<string, string>> ScrubAsync()
    {
        var template = await ScrubbingAsync();
        var token = new Regex(template.Variable("surveyTokenPattern").GetString()!);
        var secret = new Regex(template.Variable("secretQueryPattern").GetString()!);
        return text => secret.Replace(token.Replace(text, "/survey/[token]"), "$1[redacted]");
    }

    public static TheoryData<string> Shapes =>
        [
            "https://pvp.azurewebsites.net/api/survey/{0}",
            "https://pvp.azurewebsites.net/api/survey/{0}?lang=en",
            "https://pvp.azurewebsites.net/api/survey/{0}/opt-out",
            "Executing 'Functions.SurveyPost' (Reason='This function was programmatically called via the host APIs.', "
                + "Id=1) Request starting HTTP/1.1 POST http://localhost/api/survey/{0} - "
                + "application/x-www-form-urlencoded",
            "{{\"HttpPath\":\"/api/survey/{0}/opt-out\",\"HttpMethod\":\"POST\"}}",
        ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task No_survey_token_is_left_in_what_the_host_reports(string shape)
    {
        var scrub = await ScrubAsync();
        var key = new byte[32];
        for (var i = 0; i < 500; i++)
        {
            var token = i % 2 == 0 ? SurveyToken.New() : SurveyToken.Derive(key, $"nonce-{i}");
            var scrubbed = scrub(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, token.Value));
            Assert.DoesNotContain(token.Value, scrubbed, StringComparison.Ordinal);
            Assert.Contains("/survey/[token]", scrubbed, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://pvp.azurewebsites.net/api/patients?code=Zm9vYmFy_YmF6-cXV4==", "code")]
    [InlineData("https://pvp.azurewebsites.net/api/reports?day=2026-11-29&code=Zm9vYmFy", "code")]
    [InlineData("https://pvpdata.blob.core.windows.net/reports/x.pdf?sv=2025-01-05&sig=AbC%2Bdef123%3D", "sig")]
    [InlineData("http://localhost:7071/api/dashboard/sign-in?ticket=q1w2e3r4t5y6", "ticket")]
    public async Task Keys_signatures_and_tickets_in_query_strings_are_redacted(string url, string name)
    {
        var scrubbed = (await ScrubAsync())(url);
        var secret = Regex.Match(url, $"[?&]{name}=([^&]+)").Groups[1].Value;
        Assert.DoesNotContain(secret, scrubbed, StringComparison.Ordinal);
        Assert.Contains($"{name}=[redacted]", scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://pvp.azurewebsites.net/api/survey/pages.css")]
    [InlineData("https://pvp.azurewebsites.net/api/survey/icon.svg")]
    [InlineData("https://pvp.azurewebsites.net/api/followups/summary?asOf=2026-11-29")]
    [InlineData("https://pvp.azurewebsites.net/api/patients/PVP-0042/timeline")]
    public async Task What_operators_need_stays_readable(string url) => Assert.Equal(url, (await ScrubAsync())(url));

    /// <summary>The workspace put with the rule (also named as <c>existing</c>, without properties).</summary>
    private static bool IsAttached(JsonElement workspace) =>
        workspace.TryGetProperty("properties", out var properties)
        && properties.TryGetProperty("defaultDataCollectionRuleResourceId", out _);

    [Fact]
    public async Task The_rule_rewrites_requests_traces_and_exceptions_and_is_the_workspaces_default()
    {
        var template = await ScrubbingAsync();
        var rule = Assert.Single(template.ResourcesOfType("Microsoft.Insights/dataCollectionRules"));
        Assert.Equal("WorkspaceTransforms", rule.GetProperty("kind").GetString());
        var flows = rule.GetProperty("properties")
            .GetProperty("dataFlows")
            .EnumerateArray()
            .ToDictionary(
                f => f.GetProperty("streams")[0].GetString()!,
                f => f.GetProperty("transformKql").GetString()!
            );
        Assert.Equal(
            ["Microsoft-Table-AppExceptions", "Microsoft-Table-AppRequests", "Microsoft-Table-AppTraces"],
            flows.Keys.Order()
        );
        // Every flow rewrites the columns that carry text (through the variables the patterns feed).
        Assert.All(flows.Values, kql => Assert.Contains("variables('properties')", kql, StringComparison.Ordinal));
        Assert.Contains("variables('url')", flows["Microsoft-Table-AppRequests"], StringComparison.Ordinal);
        Assert.Contains("variables('message')", flows["Microsoft-Table-AppTraces"], StringComparison.Ordinal);
        Assert.Contains(
            "variables('exceptionColumns')",
            flows["Microsoft-Table-AppExceptions"],
            StringComparison.Ordinal
        );

        var attached = Assert.Single(
            template.ResourcesOfType("Microsoft.OperationalInsights/workspaces"),
            IsAttached
        );
        Assert.Contains(
            "Microsoft.Insights/dataCollectionRules",
            attached.GetProperty("properties").GetProperty("defaultDataCollectionRuleResourceId").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Attaching_the_rule_puts_the_workspace_with_the_settings_monitoring_gave_it()
    {
        var monitoring = (await ArmTemplate.MainAsync()).Module("monitoring");
        var original = Assert.Single(monitoring.ResourcesOfType("Microsoft.OperationalInsights/workspaces"));
        var attached = (await ScrubbingAsync())
            .ResourcesOfType("Microsoft.OperationalInsights/workspaces")
            .Single(IsAttached);
        foreach (var setting in new[] { "sku", "retentionInDays", "workspaceCapping" })
            Assert.True(
                JsonElement.DeepEquals(
                    original.GetProperty("properties").GetProperty(setting),
                    attached.GetProperty("properties").GetProperty(setting)
                ),
                setting
            );
        var arguments = monitoring
            .Deployment("telemetry-scrubbing")
            .GetProperty("properties")
            .GetProperty("parameters");
        string Argument(string name) => arguments.GetProperty(name).GetProperty("value").GetString()!;
        Assert.Equal("[parameters('retentionDays')]", Argument("retentionDays"));
        Assert.Equal("[parameters('dailyCapGb')]", Argument("dailyCapGb"));
        Assert.Equal("[format('{0}-logs', parameters('name'))]", Argument("workspaceName"));
        Assert.Equal("[format('{0}-logs', parameters('name'))]", original.GetProperty("name").GetString());
    }
}
