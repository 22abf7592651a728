using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Hosting;
using PvpServerless.Reports.Bundle;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>The core services as hosts register them (AddPvpCore), with a test's settings and clients.</summary>
public static class TestServices
{
    public static ServiceProvider Build(
        Dictionary<string, string?> settings,
        Action<AzureClientFactoryBuilder>? clients = null
    )
    {
        // The follow-up engine needs its link-token key wherever an enrolment is made.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?> { ["FollowUp:TokenKey"] = Convert.ToBase64String(new byte[32]) }
            )
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        if (clients is not null)
            services.AddAzureClients(clients);
        return services.BuildServiceProvider();
    }

    /// <summary>A small complete report folder: a few files and the manifest that lists them.</summary>
    public static IReadOnlyList<BundleFile> ReportFolder(DateOnly day, int files = 3)
    {
        var list = Enumerable
            .Range(1, files)
            .Select(i => new BundleFile($"file{i}.csv", System.Text.Encoding.UTF8.GetBytes($"row {i}"), "text/csv"))
            .ToList();
        var manifest = new BundleManifest(
            1,
            day,
            list.Select(f => new ManifestEntry(f.Name, f.Content.Length, ReportBundle.Sha256Hex(f.Content))).ToList(),
            "input",
            "test",
            DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch,
            new global::PvpServerless.Analysis.Eq5dInfo("3L", "DK"),
            0
        );
        list.Add(new BundleFile(BundleManifest.FileName, manifest.Serialize(), "application/json"));
        return list;
    }
}
