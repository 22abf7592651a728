using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Patients;

public sealed class PatientListApiTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_walk_every_patient_once_in_study_id_order()
    {
        var ids = Enumerable.Range(1, 7).Select(i => $"LIST-{i:D2}").ToList();
        foreach (var id in ids)
            Assert.Equal(
                HttpStatusCode.Created,
                (await host.PostJsonAsync("/api/patients", Enrolments.Valid(id))).StatusCode
            );

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url =
                "/api/patients?pageSize=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await host.Client.GetFromJsonAsync<JsonElement>(url, Ct);
            var items = page.GetProperty("items")
                .EnumerateArray()
                .Select(p => p.GetProperty("studyId").GetString()!)
                .ToList();
            Assert.True(items.Count <= 3);
            seen.AddRange(items);
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        } while (token is not null && pages < 10);

        Assert.Equal(ids, seen.Where(s => s.StartsWith("LIST-", StringComparison.Ordinal)));
        Assert.True(pages >= 3);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("ten")]
    public async Task A_bad_page_size_is_400(string size)
    {
        var response = await host.Client.GetAsync($"/api/patients?pageSize={size}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("pageSize", out _));
    }
}
