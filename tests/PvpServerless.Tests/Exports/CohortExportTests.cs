using System.Net;
using System.Text;
using PvpServerless.Cli.Demo;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Exports;

public sealed class CohortExportTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_seed_cohort_entered_through_the_api_comes_back_as_the_same_canonical_document()
    {
        var seed = SeedCohort.Build();
        await new CohortUploader(host.Client).UploadAsync(seed, null, Ct);

        var response = await host.Client.GetAsync("/api/exports/cohort.json?cutoff=2018-03-01", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var exported = CohortJson.Read(bytes);

        // Byte for byte: the API, the storage model and the builder lose nothing and add nothing.
        Assert.Equal(Encoding.UTF8.GetString(CohortJson.Serialize(seed)), Encoding.UTF8.GetString(bytes));
        Assert.Equal(CohortJson.Sha256(seed), response.Headers.GetValues("X-Input-Sha256").Single());
        Assert.Equal(30, exported.Patients.Count);
        Assert.DoesNotContain("demo.invalid", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        // Uploading again changes nothing (every call is idempotent).
        await new CohortUploader(host.Client).UploadAsync(seed, null, Ct);
        Assert.Equal(bytes, await host.Client.GetByteArrayAsync("/api/exports/cohort.json?cutoff=2018-03-01", Ct));
    }

    [Fact]
    public async Task An_earlier_cut_off_hides_what_had_not_happened_yet()
    {
        var seed = SeedCohort.Build();
        await new CohortUploader(host.Client).UploadAsync(seed, null, Ct);
        var cutoff = new DateOnly(2015, 6, 30);
        var exported = CohortJson.Read(
            await host.Client.GetByteArrayAsync("/api/exports/cohort.json?cutoff=2015-06-30", Ct)
        );

        Assert.Equal(seed.Patients.Count(p => p.ProcedureDate <= cutoff), exported.Patients.Count);
        Assert.All(
            exported.Patients,
            p =>
            {
                Assert.True(p.DeathDate is null || p.DeathDate <= cutoff);
                Assert.All(p.Responses, r => Assert.True(DateOnly.FromDateTime(r.CompletedAt.UtcDateTime) <= cutoff));
            }
        );
    }

    [Fact]
    public async Task A_bad_cut_off_is_400()
    {
        var response = await host.Client.GetAsync("/api/exports/cohort.json?cutoff=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
