using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Responses;

public sealed class ResponseApiTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> EnrolAsync()
    {
        var body = Enrolments.Valid();
        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", body)).StatusCode);
        return (string)body["studyId"]!;
    }

    private static object ThreeMonths(int mobility = 2) =>
        new
        {
            wave = "3m",
            completedAt = "2025-07-01T09:30:00Z",
            eq5d = new
            {
                mobility,
                selfCare = 1,
                usualActivities = 2,
                pain = 2,
                anxiety = 1,
                vas = 65,
            },
            odi = new int?[] { 2, 1, 2, 1, 1, 2, 1, null, 1, 1 },
        };

    [Fact]
    public async Task A_response_is_stored_once_and_marks_its_wave_answered()
    {
        var id = await EnrolAsync();
        var first = await host.PostJsonAsync($"/api/patients/{id}/responses", ThreeMonths());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(
            HttpStatusCode.OK,
            (await host.PostJsonAsync($"/api/patients/{id}/responses", ThreeMonths())).StatusCode
        );

        var conflict = await host.PostJsonAsync($"/api/patients/{id}/responses", ThreeMonths(mobility: 3));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var rows = await new TableServiceClient(host.ConnectionString)
            .GetTableClient(host.Prefix + "Patients")
            .QueryAsync<TableEntity>($"PartitionKey eq '{id.ToUpperInvariant()}'", cancellationToken: Ct)
            .ToListAsync(Ct);
        var stored = Assert.Single(rows, r => r.RowKey == "response|3m");
        Assert.Contains("\"mobility\":2", stored.GetString("Eq5d"), StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(rows, r => r.RowKey == "wave|3m").GetDateTimeOffset("AnsweredAt"));
        Assert.Equal(2, rows.Count(r => r.RowKey.StartsWith("audit|", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("{\"wave\":\"6m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"odi\":[1,1,1,1,1,1,1,1,1,1]}", "wave")]
    [InlineData("{\"wave\":\"3m\",\"odi\":[1,1,1,1,1,1,1,1,1,1]}", "completedAt")]
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-03-01T09:30:00Z\",\"odi\":[1,1,1,1,1,1,1,1,1,1]}",
        "completedAt"
    )]
    [InlineData("{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\"}", "eq5d")]
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"eq5d\":{\"mobility\":4,\"selfCare\":1,\"usualActivities\":1,\"pain\":1,\"anxiety\":1,\"vas\":50}}",
        "eq5d.mobility"
    )]
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"eq5d\":{\"mobility\":1,\"selfCare\":1,\"usualActivities\":1,\"pain\":1,\"anxiety\":1,\"vas\":101}}",
        "eq5d.vas"
    )]
    // A misspelt or abbreviated key is named, never dropped (it would have locked the wave with a gap).
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"eq5d\":{\"MO\":1,\"mobility\":1,"
            + "\"selfCare\":1,\"usualActivities\":1,\"pain\":1,\"anxiety\":1,\"vas\":50}}",
        "eq5d.MO"
    )]
    // An unanswered item is an explicit null; a missing key is an error.
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"eq5d\":{\"mobility\":1,\"selfCare\":1,"
            + "\"usualActivities\":1,\"pain\":1,\"anxiety\":1}}",
        "eq5d.vas"
    )]
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"odi\":[1,1,1,1,1,1,1,1,1,1],\"x\":1}",
        "x"
    )]
    // No offset: which 09:30 was it?
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00\",\"odi\":[1,1,1,1,1,1,1,1,1,1]}",
        "completedAt"
    )]
    // A one-year answer the day after the procedure, a three-month one at the one-year mark, a baseline in summer.
    [InlineData(
        "{\"wave\":\"1y\",\"completedAt\":\"2025-04-01T09:30:00Z\",\"odi\":[1,1,1,1,1,1,1,1,1,1]}",
        "completedAt"
    )]
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2026-03-01T09:30:00Z\",\"odi\":[1,1,1,1,1,1,1,1,1,1]}",
        "completedAt"
    )]
    [InlineData(
        "{\"wave\":\"baseline\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"odi\":[1,1,1,1,1,1,1,1,1,1]}",
        "completedAt"
    )]
    [InlineData(
        "{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"odi\":[1,1,6,1,1,1,1,1,1,1]}",
        "odi.section3"
    )]
    [InlineData("{\"wave\":\"3m\",\"completedAt\":\"2025-07-01T09:30:00Z\",\"odi\":[1,1,1,1,1,1,1,1,1,1,1]}", "odi")]
    public async Task A_bad_response_is_400_naming_the_item_and_nothing_is_stored(string json, string field)
    {
        var id = await EnrolAsync();
        var response = await host.Client.PostAsync(
            $"/api/patients/{id}/responses",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            Ct
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        var rows = await new TableServiceClient(host.ConnectionString)
            .GetTableClient(host.Prefix + "Patients")
            .QueryAsync<TableEntity>($"PartitionKey eq '{id.ToUpperInvariant()}'", cancellationToken: Ct)
            .ToListAsync(Ct);
        Assert.DoesNotContain(rows, r => r.RowKey.StartsWith("response|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_response_after_the_recorded_death_is_refused()
    {
        var id = await EnrolAsync();
        await host.PostJsonAsync($"/api/patients/{id}/events", new { type = "death", date = "2025-05-01" });
        var response = await host.PostJsonAsync($"/api/patients/{id}/responses", ThreeMonths());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_misspelt_response_leaves_the_wave_open_for_the_correct_one()
    {
        var id = await EnrolAsync();
        var misspelt = await host.PostJsonAsync(
            $"/api/patients/{id}/responses",
            new
            {
                wave = "3m",
                completedAt = "2025-07-01T09:30:00Z",
                eq5d = new
                {
                    MO = 2,
                    SC = 1,
                    UA = 2,
                    PD = 2,
                    AD = 1,
                    VAS = 65,
                },
            }
        );
        Assert.Equal(HttpStatusCode.BadRequest, misspelt.StatusCode);
        Assert.Equal(
            HttpStatusCode.Created,
            (await host.PostJsonAsync($"/api/patients/{id}/responses", ThreeMonths())).StatusCode
        );
    }

    [Fact]
    public async Task A_response_dated_after_a_withdrawal_is_refused()
    {
        var id = await EnrolAsync();
        var withdrawal = new { type = "withdrawal", date = "2025-06-01" };
        Assert.Equal(
            HttpStatusCode.Created,
            (await host.PostJsonAsync($"/api/patients/{id}/events", withdrawal)).StatusCode
        );
        var response = await host.PostJsonAsync($"/api/patients/{id}/responses", ThreeMonths());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(
            "withdrawal",
            problem.GetProperty("errors").GetProperty("completedAt")[0].GetString(),
            StringComparison.Ordinal
        );
    }
}
