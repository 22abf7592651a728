using System.Text;
using Microsoft.Extensions.Options;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Questionnaires;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Exports;

public sealed class CohortBuilderTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_seeded_synthetic_cohort_is_built_back_exactly_and_passes_the_strict_loader()
    {
        var storage = new PvpStorage(
            Options.Create(
                new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = azurite.NewPrefix() }
            )
        );
        await storage.EnsureCreatedAsync(Ct);
        var cohort = SyntheticCohort.Build(300, seed: 7, cutoff: new DateOnly(2026, 6, 30));
        Assert.Equal(
            300,
            await new CohortSeeder(storage, TimeProvider.System).SeedAsync(cohort, parallelism: 4, null, Ct)
        );
        // Seeding again replaces, never duplicates.
        await new CohortSeeder(storage, TimeProvider.System).SeedAsync(cohort, parallelism: 4, null, Ct);

        var built = await new CohortBuilder(
            storage,
            Options.Create(new QuestionnaireOptions()),
            new PvpServerless.Domain.ClinicClock(
                TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen"),
                TimeProvider.System
            )
        ).BuildAsync(cohort.CutoffDate, Ct);
        var bytes = CohortJson.Serialize(built);

        Assert.Equal(Encoding.UTF8.GetString(CohortJson.Serialize(cohort)), Encoding.UTF8.GetString(bytes));
        Assert.Equal(300, CohortJson.Read(bytes).Patients.Count);
    }
}
