using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Patients;

public sealed class PatientEventApiTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> EnrolAsync()
    {
        var body = Enrolments.Valid();
        var response = await host.PostJsonAsync("/api/patients", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)body["studyId"]!;
    }

    private Task<HttpResponseMessage> EventAsync(string id, object body) =>
        host.PostJsonAsync($"/api/patients/{id}/events", body);

    private async Task<List<TableEntity>> RowsAsync(string table, string pk, string prefix = "") =>
        (
            await new TableServiceClient(host.ConnectionString)
                .GetTableClient(host.Prefix + table)
                .QueryAsync<TableEntity>($"PartitionKey eq '{pk.ToUpperInvariant()}'", cancellationToken: Ct)
                .ToListAsync(Ct)
        )
            .Where(e => e.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();

    [Fact]
    public async Task A_death_is_recorded_once_however_often_it_is_sent()
    {
        var id = await EnrolAsync();
        var first = await EventAsync(id, new { type = "death", date = "2025-08-01" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("applied").GetBoolean());
        Assert.Equal("2025-08-01", body.GetProperty("patient").GetProperty("deathDate").GetString());

        var again = await EventAsync(id, new { type = "death", date = "2025-08-01" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeat = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(repeat.GetProperty("applied").GetBoolean());
        Assert.Equal(body.GetProperty("eventId").GetString(), repeat.GetProperty("eventId").GetString());

        // The same fact under another client id is still no change.
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await EventAsync(
                    id,
                    new
                    {
                        type = "death",
                        date = "2025-08-01",
                        id = "retry-1",
                    }
                )
            ).StatusCode
        );

        Assert.Single(await RowsAsync("Patients", id, "event|"));
        var audit = await RowsAsync("Patients", id, "audit|");
        // The death, once; and the scheduler skipped the three waves at once, once (docs/coordination.md).
        Assert.Equal(
            ["enrolled", "death", "waveSkipped", "waveSkipped", "waveSkipped"],
            audit.Select(a => a.GetString("Action"))
        );
        Assert.Equal("coordinator", audit[1].GetString("Actor"));
    }

    [Fact]
    public async Task A_second_different_death_date_is_a_conflict()
    {
        var id = await EnrolAsync();
        await EventAsync(id, new { type = "death", date = "2025-08-01" });
        var response = await EventAsync(id, new { type = "death", date = "2025-09-01" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("date", problem.GetProperty("field").GetString());
        var patient = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        Assert.Equal("2025-08-01", patient.GetProperty("deathDate").GetString());
    }

    [Fact]
    public async Task A_withdrawal_names_who_recorded_it()
    {
        var id = await EnrolAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/patients/{id}/events")
        {
            Content = JsonContent.Create(new { type = "withdrawal", date = "2025-05-02" }),
            Headers = { { "X-Pvp-User", "hbj" } },
        };
        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(request, Ct)).StatusCode);
        var audit = await RowsAsync("Patients", id, "audit|");
        Assert.Equal("coordinator:hbj", audit.Single(a => a.GetString("Action") == "withdrawal").GetString("Actor"));
        var patient = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        Assert.Equal("2025-05-02", patient.GetProperty("withdrawnDate").GetString());
    }

    [Theory]
    [InlineData("{\"type\":\"death\",\"date\":\"2025-03-30\"}", "date")] // before the procedure
    [InlineData("{\"type\":\"death\",\"date\":\"2999-01-01\"}", "date")] // in the future
    [InlineData("{\"type\":\"death\"}", "date")]
    [InlineData("{\"type\":\"birthday\"}", "type")]
    [InlineData(
        "{\"type\":\"leakageAssessment\",\"levels\":[{\"level\":\"C3\",\"cementLeakage\":true}]}",
        "levels[0].level"
    )] // not treated
    [InlineData("{\"type\":\"leakageAssessment\",\"levels\":[{\"level\":\"L1\"}]}", "levels[0].cementLeakage")]
    [InlineData(
        "{\"type\":\"leakageAssessment\","
            + "\"levels\":[{\"level\":\"L1\",\"cementLeakage\":false,\"leakageSymptomatic\":true}]}",
        "levels[0].leakageSymptomatic"
    )]
    [InlineData("{\"type\":\"complication\",\"complicationType\":\"bleeding\"}", "symptomatic")]
    [InlineData("{\"type\":\"contactChange\",\"email\":\"nope\"}", "email")]
    [InlineData("{\"type\":\"contactChange\",\"language\":\"sv\"}", "language")]
    [InlineData("{\"type\":\"death\",\"date\":\"2025-08-01\",\"id\":\"bad id!\"}", "id")]
    public async Task A_bad_event_is_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var id = await EnrolAsync();
        var response = await host.Client.PostAsync(
            $"/api/patients/{id}/events",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            Ct
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Empty(await RowsAsync("Patients", id, "event|"));
        Assert.Single(await RowsAsync("Patients", id, "audit|"));
    }

    [Fact]
    public async Task An_event_for_an_unknown_patient_is_404()
    {
        var response = await EventAsync("PVP-NOBODY", new { type = "death", date = "2025-08-01" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_leakage_assessment_updates_the_levels_once()
    {
        var id = await EnrolAsync();
        var assessment = new
        {
            type = "leakageAssessment",
            levels = new object[]
            {
                new { level = "L1", cementLeakage = true },
                new { level = "T12", cementLeakage = false },
            },
        };
        Assert.Equal(HttpStatusCode.Created, (await EventAsync(id, assessment)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await EventAsync(id, assessment)).StatusCode);
        var patient = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        var levels = patient
            .GetProperty("levels")
            .EnumerateArray()
            .Select(l =>
                (
                    l.GetProperty("level").GetString(),
                    l.GetProperty("cementLeakage").GetBoolean(),
                    l.GetProperty("posteriorWallDefect").GetBoolean()
                )
            )
            .ToList();
        Assert.Equal([("T12", false, true), ("L1", true, false)], levels);
        Assert.Equal(2, (await RowsAsync("Patients", id, "audit|")).Count);
    }

    [Fact]
    public async Task A_complication_is_appended_and_a_retry_with_its_id_is_not()
    {
        var id = await EnrolAsync();
        var complication = new
        {
            type = "complication",
            id = "pe-1",
            complicationType = "pulmonaryEmbolism",
            symptomatic = false,
        };
        Assert.Equal(HttpStatusCode.Created, (await EventAsync(id, complication)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await EventAsync(id, complication)).StatusCode);
        var patient = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        Assert.Single(patient.GetProperty("complications").EnumerateArray());
    }

    [Fact]
    public async Task A_contact_change_goes_to_the_contacts_table_and_the_audit_never_holds_the_address()
    {
        var id = await EnrolAsync();
        var change = new
        {
            type = "contactChange",
            email = "new.address@example.dk",
            language = "en",
        };
        Assert.Equal(HttpStatusCode.Created, (await EventAsync(id, change)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await EventAsync(id, change)).StatusCode); // same contact again: no change

        var contact = Assert.Single(await RowsAsync("Contacts", id, "contact"));
        Assert.Equal("new.address@example.dk", contact.GetString("Email"));
        Assert.Equal("en", contact.GetString("Language"));
        var partition = await RowsAsync("Patients", id);
        Assert.DoesNotContain(
            partition,
            e =>
                ((IDictionary<string, object>)e)
                    .Values.OfType<string>()
                    .Any(v => v.Contains("example.dk", StringComparison.Ordinal))
        );
        Assert.Equal(["enrolled"], (await RowsAsync("Patients", id, "audit|")).Select(a => a.GetString("Action")));
        // The change and its audit line are one transaction in the contacts partition; the line holds no address.
        var audit = Assert.Single(await RowsAsync("Contacts", id, "audit|"));
        Assert.Equal("contactChange", audit.GetString("Action"));
        Assert.Equal("""{"email":"changed","language":"en"}""", audit.GetString("Details"));
        Assert.Single(await RowsAsync("Contacts", id, "event|"));
    }
}
