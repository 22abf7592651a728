using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Cli;
using PvpServerless.Cohort;
using PvpServerless.Contacts;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.LocalHost;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Benchmarks;

/// <summary>A patient ready to answer: the study id and the survey link of the baseline wave.</summary>
internal sealed record Invitee(string StudyId, Uri Link);

/// <summary>
/// Azurite's own operations per second at one concurrency (single inserts, point reads, 4-row transactions), and the
/// CPU time its node process spent per operation of each kind, in ms.
/// </summary>
internal sealed record AzuriteRates(
    double Inserts,
    double Reads,
    double Batches,
    double InsertCpuMs,
    double ReadCpuMs,
    double BatchCpuMs
);

/// <summary>
/// An in-memory Azurite and the local host over it (the Functions project's own classes, as <c>./pvp up</c> runs them),
/// with patients whose baseline window is open today and whose link exists. Patients are written the fast way: each
/// partition (record, waves, audit line) in one transaction by <see cref="CohortSeeder"/>, then the contact through
/// <see cref="ContactStore"/> and the link through <see cref="TokenStore"/> (the core's own stores, one insert each),
/// several at a time. No e-mail is sent: the page and the post cost the same for an invited wave.
/// </summary>
internal sealed class SubmissionWorld(
    Azurite azurite,
    WebApplication host,
    string url,
    IReadOnlyDictionary<string, string?> settings
) : IAsyncDisposable
{
    public const string Prefix = "sub";

    public string Url => url;

    /// <summary>The host's settings (storage, prefix, link key): the profile's core services use them too.</summary>
    public IReadOnlyDictionary<string, string?> Settings => settings;

    public IServiceProvider Services => host.Services;

    public string ConnectionString => azurite.ConnectionString;

    private PvpStorage Storage => host.Services.GetRequiredService<PvpStorage>();

    public static async Task<SubmissionWorld> StartAsync(CancellationToken cancellationToken)
    {
        var azurite = await Azurite.StartAsync(Repo.Root, null, null, Console.Error, cancellationToken);
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:NamePrefix"] = Prefix,
            ["FollowUp:TokenKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["LocalHost:RunTimers"] = "false",
            ["LocalHost:RunQueues"] = "false",
            ["Email:Transport"] = "Outbox",
            ["Clinic:PublicBaseUrl"] = url + "/api",
        };
        var host = LocalFunctionsHost.Build(new LocalHostSettings { Url = url, Values = settings });
        await host.StartAsync(cancellationToken);
        return new SubmissionWorld(azurite, host, url, settings);
    }

    /// <summary>
    /// <paramref name="count"/> patients named <c>{name}-00001</c>…, procedure today (so the baseline window is open),
    /// each with a contact and a baseline link; their invitees, in order.
    /// </summary>
    public async Task<IReadOnlyList<Invitee>> SeedAsync(string name, int count, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var today = Services.GetRequiredService<ClinicClock>().Today();
        var ids = Enumerable.Range(1, count).Select(i => $"{name}-{i:D5}").ToList();
        var patients = ids.Select(id => new CohortPatient(
                id,
                Sex.F,
                70,
                PrimaryMalignancy.MultipleMyeloma,
                DiagnosisBasis.BoneMarrowBiopsy,
                today,
                [new TreatedLevel("L1", false, null)],
                [],
                null,
                null,
                []
            ))
            .ToList();
        var cohort = new CohortDocument(CohortDocument.CurrentSchemaVersion, today, new("3L", "DK"), patients);
        await new CohortSeeder(Storage, TimeProvider.System).SeedAsync(cohort, 8, null, cancellationToken);
        var contacts = Services.GetRequiredService<ContactStore>();
        var tokens = Services.GetRequiredService<TokenStore>();
        var links = new Uri[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var language = i % 3 == 2 ? Language.En : Language.Da;
                await contacts.SetAsync(ids[i], new Contact($"p{i}@example.invalid", language), ct);
                var grant = new SurveyGrant(ids[i], Wave.Baseline, today.AddDays(14));
                var token = await tokens.IssueAsync(grant, ct);
                links[i] = new Uri($"{url}/api/survey/{token.Value}");
            }
        );
        var seconds = watch.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"  {count:N0} patients with an open link ({name}) in {seconds:F1} s");
        return [.. ids.Select((id, i) => new Invitee(id, links[i]))];
    }

    /// <summary>CPU time so far of this process (the host and the clients) and of Azurite's node process.</summary>
    public (TimeSpan Ours, TimeSpan Azurite) Cpu()
    {
        using var ours = Process.GetCurrentProcess();
        using var node = Process.GetProcessById(azurite.ProcessId);
        return (ours.TotalProcessorTime, node.TotalProcessorTime);
    }

    /// <summary>
    /// Azurite's own rates, <paramref name="clients"/> at once, on a table of their own: single inserts of small rows
    /// each in a partition of its own (as the token rows are), point reads of those rows, and transactions of four
    /// rows in one partition (the size of a stored answer: patient, wave, response, audit line).
    /// </summary>
    public async Task<AzuriteRates> FloorsAsync(int clients, int count, CancellationToken cancellationToken)
    {
        var table = new TableClient(azurite.ConnectionString, $"{Prefix}floor{clients}");
        await table.CreateIfNotExistsAsync(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = clients, CancellationToken = cancellationToken };
        static TableEntity Row(string partition, string row) =>
            new(partition, row)
            {
                ["StudyId"] = "FLOOR",
                ["Wave"] = "baseline",
                ["At"] = DateTimeOffset.UtcNow,
            };
        var (inserts, insertCpu) = await TimeAsync(
            count,
            parallel,
            (i, ct) => table.AddEntityAsync(Row($"p{i:D6}", "row"), ct)
        );
        var (reads, readCpu) = await TimeAsync(
            count,
            parallel,
            (i, ct) => table.GetEntityAsync<TableEntity>($"p{i:D6}", "row", cancellationToken: ct)
        );
        var (batches, batchCpu) = await TimeAsync(
            count,
            parallel,
            (i, ct) =>
                table.SubmitTransactionAsync(
                    Enumerable
                        .Range(0, 4)
                        .Select(r => new TableTransactionAction(
                            TableTransactionActionType.Add,
                            Row($"b{i:D6}", $"r{r}")
                        )),
                    ct
                )
        );
        return new AzuriteRates(inserts, reads, batches, insertCpu, readCpu, batchCpu);
    }

    /// <summary><paramref name="count"/> operations: per second, and Azurite's CPU per operation in ms.</summary>
    private async Task<(double PerSecond, double AzuriteCpuMs)> TimeAsync<T>(
        int count,
        ParallelOptions parallel,
        Func<int, CancellationToken, Task<T>> operation
    )
    {
        var cpu = Cpu().Azurite;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, ct) => await operation(i, ct));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (count / seconds, (Cpu().Azurite - cpu).TotalMilliseconds / count);
    }

    /// <summary>
    /// The partitions that hold a stored baseline response, with how many each holds, and those whose wave is marked
    /// answered: read back from the patients table after the runs.
    /// </summary>
    public async Task<(Dictionary<string, int> Responses, HashSet<string> Answered)> StoredAsync(CancellationToken ct)
    {
        var responses = new Dictionary<string, int>();
        var filter = "RowKey eq 'response|baseline'";
        await foreach (var row in Storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            responses[row.PartitionKey] = responses.GetValueOrDefault(row.PartitionKey) + 1;
        var answered = new HashSet<string>();
        filter = "RowKey eq 'wave|baseline' and State eq 'answered'";
        await foreach (var row in Storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            answered.Add(row.PartitionKey);
        return (responses, answered);
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        await azurite.DisposeAsync();
    }
}
