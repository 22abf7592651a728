using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Cli;
using PvpServerless.Cohort;
using PvpServerless.Contacts;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.LocalHost;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Benchmarks;

/// <summary>A patient ready to answer: the study id, the wave whose window is open today, its survey link.</summary>
internal sealed record Invitee(string StudyId, Wave Wave, Uri Link);

/// <summary>How the seeded patients' due days fall.</summary>
internal enum DueDays
{
    /// <summary>As a clinic's: a few patients per due day, over every wave's window that is open today.</summary>
    Spread,

    /// <summary>All on one day (every procedure today): every answer writes into one status-index partition.</summary>
    OneDay,
}

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

    private int _floors;

    public string Url => url;

    /// <summary>The host's settings (storage, prefix, link key): the profile's core services use them too.</summary>
    public IReadOnlyDictionary<string, string?> Settings => settings;

    public IServiceProvider Services => host.Services;

    public string ConnectionString => azurite.ConnectionString;

    public int TablePort => azurite.TablePort;

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
    /// <paramref name="count"/> patients named <c>{name}-00001</c>…, each with a contact and a link to a wave whose
    /// window is open today; their invitees, in order. <see cref="DueDays.OneDay"/>: every procedure today, the
    /// baseline. <see cref="DueDays.Spread"/>: patient i gets the i-th of the (wave, due day) pairs open today, in
    /// turn (the baseline's 15 days and the 3- and 12-month windows' 36 each), so a due day has a few patients.
    /// </summary>
    public async Task<IReadOnlyList<Invitee>> SeedAsync(
        string name,
        int count,
        DueDays dueDays,
        CancellationToken cancellationToken
    )
    {
        var watch = Stopwatch.StartNew();
        var today = Services.GetRequiredService<ClinicClock>().Today();
        var slots = dueDays == DueDays.OneDay ? [new Slot(Wave.Baseline, today, today.AddDays(14))] : OpenSlots(today);
        var ids = Enumerable.Range(1, count).Select(i => $"{name}-{i:D5}").ToList();
        var slotOf = ids.Select((_, i) => slots[i % slots.Count]).ToList();
        var patients = ids.Select((id, i) => new CohortPatient(
                id,
                Sex.F,
                70,
                PrimaryMalignancy.MultipleMyeloma,
                DiagnosisBasis.BoneMarrowBiopsy,
                slotOf[i].Procedure,
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
                var grant = new SurveyGrant(ids[i], slotOf[i].Wave, slotOf[i].ClosesOn);
                var token = await tokens.IssueAsync(grant, ct);
                links[i] = new Uri($"{url}/api/survey/{token.Value}");
            }
        );
        var seconds = watch.Elapsed.TotalSeconds;
        var days = slotOf.Distinct().Count();
        Console.Error.WriteLine(
            $"  {count:N0} patients with an open link ({name}, {days} due days) in {seconds:F1} s"
        );
        return [.. ids.Select((id, i) => new Invitee(id, slotOf[i].Wave, links[i]))];
    }

    /// <summary>A wave open today: the procedure day that puts it there, and the window's last day.</summary>
    private sealed record Slot(Wave Wave, DateOnly Procedure, DateOnly ClosesOn);

    /// <summary>Every (wave, due day) whose window is open today, with the configured windows.</summary>
    private List<Slot> OpenSlots(DateOnly today)
    {
        var options = Services.GetRequiredService<IOptions<FollowUpOptions>>().Value;
        var slots = new Dictionary<(Wave, DateOnly), Slot>();
        for (var procedure = today.AddYears(-1).AddDays(-40); procedure <= today; procedure = procedure.AddDays(1))
        {
            foreach (var wave in Waves.All)
            {
                var due = wave.DueDate(procedure);
                var (opens, closes) = wave == Wave.Baseline
                    ? (due, due.AddDays(options.BaselineClosesDaysAfterProcedure))
                    : (due.AddDays(-options.OpensDaysBefore), due.AddDays(options.ClosesDaysAfter));
                if (opens <= today && today <= closes)
                    slots.TryAdd((wave, due), new Slot(wave, procedure, closes));
            }
        }
        return [.. slots.Values];
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
        // A fresh table per measurement: a level may come twice at one concurrency.
        var name = $"{Prefix}floor{clients}x{Interlocked.Increment(ref _floors)}";
        var table = new TableClient(azurite.ConnectionString, name);
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
    /// The partitions that hold a stored response, with how many each holds, and those with a wave marked answered:
    /// read back from the patients table after the runs (each patient has one link, so one response at most).
    /// </summary>
    public async Task<(Dictionary<string, int> Responses, HashSet<string> Answered)> StoredAsync(CancellationToken ct)
    {
        var responses = new Dictionary<string, int>();
        var filter = "RowKey ge 'response|' and RowKey lt 'response}'";
        await foreach (var row in Storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            responses[row.PartitionKey] = responses.GetValueOrDefault(row.PartitionKey) + 1;
        var answered = new HashSet<string>();
        filter = "RowKey ge 'wave|' and RowKey lt 'wave}' and State eq 'answered'";
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
