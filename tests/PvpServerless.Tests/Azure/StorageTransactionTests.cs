using System.Text.Json;
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
/// estimate in docs/deploy.md is worked out from its table; each count must stay within its row there.
/// </summary>
public sealed class StorageTransactionTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly StorageRequestCounter _requests = new();

    private ServiceProvider Services() =>
        TestServices.Build(
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage:NamePrefix"] = azurite.NewPrefix(),
            },
            clients => clients.ConfigureDefaults(o => o.AddPolicy(_requests, HttpPipelinePosition.PerRetry))
        );

    private Task<Transactions> CountAsync(Func<Task> operation) =>
        _requests.CountAsync(azurite.ConnectionString, operation);

    [Fact]
    public async Task The_transactions_per_operation_stay_within_the_documented_ones()
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

        SettingsTests.None(StorageRequestCounter.BeyondTheDocumentedBounds(measured));
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
}
