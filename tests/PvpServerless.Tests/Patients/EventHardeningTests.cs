using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Patients;

/// <summary>Event ids, normal forms, concurrency and the dates facts became known.</summary>
public sealed class EventHardeningTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> EnrolAsync()
    {
        var body = Enrolments.Valid();
        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", body)).StatusCode);
        return (string)body["studyId"]!;
    }

    private Task<HttpResponseMessage> EventAsync(string id, object body) =>
        host.PostJsonAsync($"/api/patients/{id}/events", body);

    private async Task<List<TableEntity>> RowsAsync(string id, string prefix) =>
        await new TableServiceClient(host.ConnectionString)
            .GetTableClient(host.Prefix + "Patients")
            .QueryAsync<TableEntity>($"PartitionKey eq '{id.ToUpperInvariant()}'", cancellationToken: Ct)
            .Where(e => e.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            .ToListAsync(Ct);

    [Fact]
    public async Task A_client_id_reused_for_a_different_event_is_409_naming_the_id_and_the_death_is_not_lost_silently()
    {
        var id = await EnrolAsync();
        var complication = new
        {
            type = "complication",
            id = "ev-1",
            complicationType = "bleeding",
            symptomatic = false,
        };
        Assert.Equal(HttpStatusCode.Created, (await EventAsync(id, complication)).StatusCode);

        var death = await EventAsync(
            id,
            new
            {
                type = "death",
                id = "ev-1",
                date = "2025-08-01",
            }
        );
        Assert.Equal(HttpStatusCode.Conflict, death.StatusCode);
        var problem = await death.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("id", problem.GetProperty("field").GetString());
        Assert.Contains("ev-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The same event under its id again is a retry.
        Assert.Equal(HttpStatusCode.OK, (await EventAsync(id, complication)).StatusCode);
    }

    [Fact]
    public async Task The_same_assessment_written_in_another_order_is_one_event()
    {
        var id = await EnrolAsync();
        var first = await EventAsync(
            id,
            new
            {
                type = "leakageAssessment",
                date = "2025-06-30",
                levels = new object[]
                {
                    new
                    {
                        level = "T12",
                        cementLeakage = true,
                        leakageSymptomatic = false,
                    },
                    new { level = "L1", cementLeakage = false },
                },
            }
        );
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await EventAsync(
            id,
            new
            {
                levels = new object[]
                {
                    new
                    {
                        cementLeakage = false,
                        level = "L1",
                        leakageSymptomatic = false,
                    },
                    new { level = "T12", cementLeakage = true },
                },
                date = "2025-06-30",
                type = "leakageAssessment",
            }
        );
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await RowsAsync(id, "event|"));
    }

    [Fact]
    public async Task Unknown_fields_on_an_event_are_refused_rather_than_changing_its_id()
    {
        var id = await EnrolAsync();
        var response = await EventAsync(
            id,
            new
            {
                type = "complication",
                complicationType = "bleeding",
                symptomatic = true,
                note = "x",
            }
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["note"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Two_identical_complications_are_both_recorded_with_ids_and_a_repeat_without_one_says_how()
    {
        var id = await EnrolAsync();
        var bleeding = new
        {
            type = "complication",
            complicationType = "bleeding",
            symptomatic = false,
            date = "2025-04-02",
        };
        Assert.Equal(HttpStatusCode.Created, (await EventAsync(id, bleeding)).StatusCode);
        var repeat = await EventAsync(id, bleeding);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var note = (await repeat.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("note").GetString();
        Assert.Contains("id", note, StringComparison.Ordinal);

        var second = new
        {
            type = "complication",
            id = "second-bleed",
            complicationType = "bleeding",
            symptomatic = false,
            date = "2025-04-02",
        };
        Assert.Equal(HttpStatusCode.Created, (await EventAsync(id, second)).StatusCode);
        var patient = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        Assert.Equal(2, patient.GetProperty("complications").GetArrayLength());
    }

    [Fact]
    public async Task Twenty_different_events_at_once_on_one_patient_are_all_stored_or_told_to_retry_never_500()
    {
        var id = await EnrolAsync();
        var sent = Enumerable
            .Range(0, 20)
            .Select(i => new
            {
                type = "complication",
                id = $"c{i:D2}",
                complicationType = "bleeding",
                symptomatic = i % 2 == 0,
            })
            .ToList();
        var answers = await Task.WhenAll(sent.Select(e => EventAsync(id, e)));

        foreach (var a in answers)
        {
            Assert.True(
                a.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable,
                $"{(int)a.StatusCode}"
            );
            if (a.StatusCode == HttpStatusCode.ServiceUnavailable)
                Assert.NotNull(a.Headers.RetryAfter);
        }
        var created = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        var patient = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        Assert.Equal(created, patient.GetProperty("complications").GetArrayLength());
        Assert.Equal(created, (await RowsAsync(id, "event|")).Count);
        Assert.Equal(created + 1, (await RowsAsync(id, "audit|")).Count);
    }
}
