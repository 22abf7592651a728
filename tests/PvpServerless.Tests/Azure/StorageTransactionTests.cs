using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;
using PvpServerless.Reports.Nightly;
using PvpServerless.Responses;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// How many storage transactions (requests; each is billed) one enrolment, one response, one event, one read and one
/// nightly run cost, counted at the SDK pipeline over Azurite through the services the functions call. The cost
/// estimate in docs/deploy.md is worked out from these figures; this test keeps its table equal to them.
/// </summary>
public sealed partial class StorageTransactionTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly StorageRequestCounter _requests = new();

    /// <summary>Table, blob and queue requests of one operation.</summary>
    public sealed record Transactions(int Table, int Blob, int Queue)
    {
        public override string ToString() => $"{Table} table, {Blob} blob, {Queue} queue";
    }

    private ServiceProvider Services() =>
        TestServices.Build(
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage:NamePrefix"] = azurite.NewPrefix(),
            },
            clients => clients.ConfigureDefaults(o => o.AddPolicy(_requests, HttpPipelinePosition.PerRetry))
        );

    private async Task<Transactions> CountAsync(Func<Task> operation)
    {
        _requests.Clear();
        await operation();
        var ports = ConnectionPorts()
            .Matches(azurite.ConnectionString)
            .ToDictionary(
                m => m.Groups["service"].Value,
                m => int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)
            );
        return new Transactions(
            _requests.To(ports["Table"]),
            _requests.To(ports["Blob"]),
            _requests.To(ports["Queue"])
        );
    }

    [Fact]
    public async Task The_documented_transactions_per_operation_are_the_measured_ones()
    {
        await using var services = Services();
        var storage = services.GetRequiredService<PvpStorage>();
        await storage.EnsureCreatedAsync(Ct);
        var actor = new Actor("coordinator");
        var enrolment = services.GetRequiredService<EnrolmentService>();
        EnrolmentRequest Request() =>
            JsonSerializer.Deserialize<EnrolmentRequest>(JsonSerializer.Serialize(Enrolments.Valid()), Answers.Json)!;
        await enrolment.EnrolAsync(Request(), actor, Ct); // the first one also warms the clients up

        var measured = new Dictionary<string, Transactions>();
        string? studyId = null;
        measured["enrol"] = await CountAsync(async () =>
            studyId = Assert
                .IsType<EnrolmentResult.Created>(await enrolment.EnrolAsync(Request(), actor, Ct))
                .Patient.StudyId
        );
        measured["read"] = await CountAsync(() => services.GetRequiredService<PatientQueries>().GetAsync(studyId!, Ct));
        measured["list"] = await CountAsync(() =>
            services.GetRequiredService<PatientQueries>().ListAsync(50, null, Ct)
        );
        var response = new ResponseRequest(
            "baseline",
            "2025-03-30T09:00:00Z",
            new Dictionary<string, int?>
            {
                ["mobility"] = 2,
                ["selfCare"] = 1,
                ["usualActivities"] = 2,
                ["pain"] = 3,
                ["anxiety"] = 1,
                ["vas"] = 55,
            },
            [2, 1, 2, 1, 1, 2, 1, null, 1, 1]
        );
        measured["response"] = await CountAsync(async () =>
            Assert.IsType<ResponseResult.Stored>(
                await services.GetRequiredService<ResponseService>().StoreAsync(studyId!, response, actor, Ct)
            )
        );
        var death = new PatientEventRequest("death", null, "2025-09-01", null, null, null, null, null);
        measured["event"] = await CountAsync(async () =>
            Assert.IsType<EventResult.Applied>(
                await services.GetRequiredService<PatientEventService>().RecordAsync(studyId!, death, actor, Ct)
            )
        );
        foreach (var patients in (int[])[300, 1500])
        {
            measured[$"nightly-{patients}"] = await NightlyAsync(patients);
        }

        foreach (var (operation, count) in measured)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{operation,-14} {count}");
        }
        var documented = Documented();
        SettingsTests.None(
            measured
                .Where(m => !documented.TryGetValue(m.Key, out var d) || d != m.Value)
                .Select(m =>
                    $"{m.Key}: measured {m.Value}, docs/deploy.md says "
                    + (documented.TryGetValue(m.Key, out var d) ? d.ToString() : "nothing")
                    + ": update its table and the cost estimate"
                )
        );
    }

    /// <summary>
    /// A night in the steady state: the day before is published (latest.json points to it) and retention removes
    /// the folder of the day before that.
    /// </summary>
    private async Task<Transactions> NightlyAsync(int patients)
    {
        await using var services = Services();
        var storage = services.GetRequiredService<PvpStorage>();
        await storage.EnsureCreatedAsync(Ct);
        var today = new DateOnly(2026, 11, 28);
        var cohort = SyntheticCohort.Build(patients, seed: 7, cutoff: today);
        await new CohortSeeder(storage, TimeProvider.System).SeedAsync(cohort, parallelism: 4, null, Ct);
        NightlyReportService Night(DateOnly cutoff) =>
            new(
                services.GetRequiredService<CohortBuilder>(),
                services.GetRequiredService<ReportStore>(),
                Options.Create(new ReportOptions { CutoffDate = cutoff, RetentionDays = 1 }),
                services.GetRequiredService<ClinicClock>(),
                TimeProvider.System,
                NullLogger<NightlyReportService>.Instance
            );
        await Night(today.AddDays(-2)).RunAsync(Ct);
        await Night(today.AddDays(-1)).RunAsync(Ct);
        NightlyRun? run = null;
        var counted = await CountAsync(async () => run = await Night(today).RunAsync(Ct));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"nightly, {patients} patients: {run!.Files} files, {run.Bytes / 1e3:F0} kB, "
                + $"{run.Elapsed.TotalSeconds:F1} s"
        );
        return counted;
    }

    /// <summary>The rows "| `operation` | what | table | blob | queue |" of docs/deploy.md.</summary>
    private static Dictionary<string, Transactions> Documented() =>
        DocumentedRow()
            .Matches(File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "docs", "deploy.md")))
            .ToDictionary(
                m => m.Groups["operation"].Value,
                m => new Transactions(
                    int.Parse(m.Groups["table"].Value, CultureInfo.InvariantCulture),
                    int.Parse(m.Groups["blob"].Value, CultureInfo.InvariantCulture),
                    int.Parse(m.Groups["queue"].Value, CultureInfo.InvariantCulture)
                )
            );

    [GeneratedRegex(@"(?<service>Blob|Queue|Table)Endpoint=http://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex ConnectionPorts();

    [GeneratedRegex(
        @"^\| `(?<operation>[a-z0-9-]+)` \|[^|]*\| (?<table>\d+) \| (?<blob>\d+) \| (?<queue>\d+) \|",
        RegexOptions.Multiline
    )]
    private static partial Regex DocumentedRow();
}
