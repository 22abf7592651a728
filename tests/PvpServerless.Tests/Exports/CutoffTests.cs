using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Exports;

/// <summary>A cohort for a cut-off holds only what was known by then, and no cut-off lies in the future.</summary>
public sealed class CutoffTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> PatientInExportAsync(string id, string cutoff)
    {
        var document = await host.Client.GetFromJsonAsync<JsonElement>($"/api/exports/cohort.json?cutoff={cutoff}", Ct);
        return document
            .GetProperty("patients")
            .EnumerateArray()
            .Single(p => p.GetProperty("studyId").GetString() == id);
    }

    [Fact]
    public async Task Complications_and_assessments_known_after_the_cutoff_stay_out_of_its_cohort()
    {
        var body = Enrolments.Valid();
        var id = (string)body["studyId"]!;
        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", body)).StatusCode);
        await host.PostJsonAsync(
            $"/api/patients/{id}/events",
            new
            {
                type = "leakageAssessment",
                date = "2025-06-30",
                levels = new[] { new { level = "T12", cementLeakage = true } },
            }
        );
        await host.PostJsonAsync(
            $"/api/patients/{id}/events",
            new
            {
                type = "leakageAssessment",
                date = "2025-09-15",
                levels = new[] { new { level = "T12", cementLeakage = false } },
            }
        );
        await host.PostJsonAsync(
            $"/api/patients/{id}/events",
            new
            {
                type = "complication",
                complicationType = "pulmonaryEmbolism",
                symptomatic = true,
                date = "2025-08-01",
            }
        );

        var before = await PatientInExportAsync(id, "2025-06-29");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("levels")[0].GetProperty("cementLeakage").ValueKind);
        Assert.Equal(0, before.GetProperty("complications").GetArrayLength());

        var july = await PatientInExportAsync(id, "2025-07-31");
        Assert.True(july.GetProperty("levels")[0].GetProperty("cementLeakage").GetBoolean());
        Assert.Equal(0, july.GetProperty("complications").GetArrayLength());

        var autumn = await PatientInExportAsync(id, "2025-10-01");
        Assert.False(autumn.GetProperty("levels")[0].GetProperty("cementLeakage").GetBoolean());
        Assert.Equal(1, autumn.GetProperty("complications").GetArrayLength());

        // The same cut-off asked again gives the same bytes.
        var again = await host.Client.GetByteArrayAsync("/api/exports/cohort.json?cutoff=2025-07-31", Ct);
        Assert.Equal(again, await host.Client.GetByteArrayAsync("/api/exports/cohort.json?cutoff=2025-07-31", Ct));
    }

    [Fact]
    public async Task A_cutoff_after_today_is_400()
    {
        var response = await host.Client.GetAsync("/api/exports/cohort.json?cutoff=9999-12-31", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cutoff", out _));
    }
}
