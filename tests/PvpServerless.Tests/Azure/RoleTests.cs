using System.Reflection;
using System.Text.RegularExpressions;
using PvpServerless.Storage;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// The app's identity holds exactly the roles its clients need: each SDK client PvpStorage builds maps to one role on
/// one scope, plus three the platform needs. A role the template grants that nothing here asks for fails, and so
/// does a new client nobody has mapped.
/// </summary>
public sealed partial class RoleTests
{
    // Built-in role definition ids, the same in every tenant.
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageBlobDelegator = "db58b8e5-c6ad-4a2a-8342-4190687cbf4a";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private const string Account = "Microsoft.Storage/storageAccounts";
    private const string Container = "Microsoft.Storage/storageAccounts/blobServices/containers";

    /// <summary>A role on a scope: its type, the parameter naming the account and, for a container, its own.</summary>
    public sealed record Grant(string Role, string ScopeType, string ScopeParameter, string Container = "");

    /// <summary>What each client of <see cref="PvpStorage"/> does, and the one role that allows it.</summary>
    private static readonly Dictionary<string, Grant> ByClient = new()
    {
        // Read, insert, update in transactions: data, not management.
        [nameof(PvpStorage.Patients)] = new(StorageTableDataContributor, Account, "dataAccountName"),
        [nameof(PvpStorage.Schedule)] = new(StorageTableDataContributor, Account, "dataAccountName"),
        [nameof(PvpStorage.Tokens)] = new(StorageTableDataContributor, Account, "dataAccountName"),
        [nameof(PvpStorage.FollowUpStatus)] = new(StorageTableDataContributor, Account, "dataAccountName"),
        [nameof(PvpStorage.FollowUpCounts)] = new(StorageTableDataContributor, Account, "dataAccountName"),
        // A separate account when the template makes one (the data account's grant covers it otherwise).
        [nameof(PvpStorage.Contacts)] = new(StorageTableDataContributor, Account, "contactsAccountName"),
        // Report folders: write, list, read, delete, in the reports container only.
        [nameof(PvpStorage.Reports)] = new(
            StorageBlobDataContributor,
            Container,
            "dataAccountName",
            "reportsContainer"
        ),
        // E-mails as blobs when Email:Transport is Outbox, in the outbox container only.
        [nameof(PvpStorage.Outbox)] = new(StorageBlobDataContributor, Container, "dataAccountName", "outboxContainer"),
        // Only the user delegation key that signs report links (BlobReadLinks).
        [nameof(PvpStorage.Blobs)] = new(StorageBlobDelegator, Account, "dataAccountName"),
        // Send, receive, delete messages; the queue triggers read the same queues.
        [nameof(PvpStorage.Queues)] = new(StorageQueueDataContributor, Account, "dataAccountName"),
    };

    /// <summary>Roles for the platform the app runs on, not for a client of the code.</summary>
    private static readonly Dictionary<string, Grant> ByPlatform = new()
    {
        ["Functions host storage (AzureWebJobsStorage) and the deployment package"] = new(
            StorageBlobDataOwner,
            Account,
            "runtimeAccountName"
        ),
        ["Key Vault references in app settings"] = new(
            KeyVaultSecretsUser,
            "Microsoft.KeyVault/vaults",
            "keyVaultName"
        ),
        ["Telemetry to Application Insights with Entra ID"] = new(
            MonitoringMetricsPublisher,
            "Microsoft.Insights/components",
            "appInsightsName"
        ),
    };

    [Fact]
    public void Every_client_PvpStorage_builds_has_a_role()
    {
        var clients = typeof(PvpStorage)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.Namespace?.StartsWith("Azure.", StringComparison.Ordinal) == true)
            .Select(p => p.Name)
            .Order();
        Assert.Equal(ByClient.Keys.Order(), clients);
    }

    [Fact]
    public async Task The_template_grants_exactly_the_roles_the_clients_and_the_platform_need()
    {
        var roles = (await ArmTemplate.MainAsync()).Module("roles");
        var ids = roles.Variable("roles");
        var granted = new HashSet<Grant>();
        foreach (var assignment in roles.ResourcesOfType("Microsoft.Authorization/roleAssignments"))
        {
            var properties = assignment.GetProperty("properties");
            Assert.Equal("ServicePrincipal", properties.GetProperty("principalType").GetString());
            Assert.Equal("[parameters('principalId')]", properties.GetProperty("principalId").GetString());
            var role = ids.GetProperty(
                    RoleKey().Match(properties.GetProperty("roleDefinitionId").GetString()!).Groups[1].Value
                )
                .GetString()!;
            var scope = Scope().Match(assignment.GetProperty("scope").GetString()!);
            Assert.True(scope.Success, assignment.GetProperty("scope").GetString());
            var container = scope.Groups["container"].Value;
            granted.Add(new Grant(role, scope.Groups["type"].Value, scope.Groups["parameter"].Value, container));
        }

        var needed = ByClient.Values.Concat(ByPlatform.Values).ToHashSet();
        SettingsTests.None(granted.Except(needed).Select(g => $"granted, but nothing needs it: {g}"));
        SettingsTests.None(needed.Except(granted).Select(g => $"needed, but not granted: {g}"));
    }

    [GeneratedRegex(@"variables\('roles'\)\.(\w+)")]
    private static partial Regex RoleKey();

    // resourceId('type', parameters('x'), …), or with if(empty(parameters('x')), parameters('y'), parameters('x')).
    [GeneratedRegex(
        @"^\[resourceId\('(?<type>[^']+)', (?:if\(empty\(parameters\('\w+'\)\), parameters\('\w+'\), )?"
            + @"parameters\('(?<parameter>\w+)'\)(?:, 'default', parameters\('(?<container>\w+)'\))?"
    )]
    private static partial Regex Scope();
}
