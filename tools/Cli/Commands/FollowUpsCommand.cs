using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.FollowUp;
using PvpServerless.Hosting;
using PvpServerless.LocalHost;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp followups check [--repair]</c>: compares the follow-up status index with the patient partitions and
/// prints what differs; with <c>--repair</c> puts it right (docs/storage.md, "FollowUpStatus"). Against the Azurite of
/// a running ./pvp up, else .pvp/azurite, or any storage given with <c>--storage</c>. Exits 0 when the index agrees
/// (or was repaired), 1 when it does not.
/// </summary>
public static class FollowUpsCommand
{
    public static Command Create(CliContext context)
    {
        var repair = new Option<bool>("--repair")
        {
            Description = "write what differs (a rebuild when the index is gone)",
        };
        var storage = CliOptions.Storage();
        var prefix = CliOptions.Prefix();
        var check = new Command("check", "compare the status index with the patients; --repair puts it right")
        {
            repair,
            storage,
            prefix,
        };
        check.SetAction(
            (result, cancellationToken) =>
                RunAsync(
                    result.GetValue(repair),
                    result.GetValue(storage),
                    result.GetValue(prefix) ?? "",
                    context,
                    cancellationToken
                )
        );
        return new Command("followups", "the coordinator's follow-up view: its status index") { check };
    }

    private static async Task<int> RunAsync(
        bool repair,
        string? connection,
        string prefix,
        CliContext context,
        CancellationToken cancellationToken
    )
    {
        var data = Path.Combine(Repo.Root, ".pvp", "azurite");
        Azurite? own = null;
        if (connection is null && DataFolderLock.RunningPorts(data) is { } running)
            connection = Azurite.ConnectionStringFor(running.Blob, running.Queue, running.Table);
        else if (connection is null)
        {
            own = await Azurite.StartAsync(Repo.Root, data, null, context.Console.Error, cancellationToken);
            connection = own.ConnectionString;
        }
        try
        {
            await using var services = Services(connection, prefix, context.Clock);
            var report = await services.GetRequiredService<StatusIndexCheck>().RunAsync(repair, cancellationToken);
            context.Console.Out.WriteLine(
                $"{report.Waves:N0} waves, {report.Entries:N0} entries: {report.Missing} missing, {report.Stale} "
                    + $"stale, {report.Orphaned} orphaned; {report.CountsWrong} counts and {report.CopiesWrong} "
                    + $"copies wrong{(repair ? "; repaired" : "")}."
            );
            return report.Consistent || repair ? 0 : 1;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    private static ServiceProvider Services(string connection, string prefix, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = connection,
                    ["Storage:NamePrefix"] = prefix,
                    // The check sends nothing: any valid key will do.
                    ["FollowUp:TokenKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                    ["Email:Transport"] = "Outbox",
                }
            )
            .Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        services.AddSingleton(clock);
        return services.BuildServiceProvider();
    }
}
