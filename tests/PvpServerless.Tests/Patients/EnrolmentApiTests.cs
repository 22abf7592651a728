using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Patients;

public sealed class EnrolmentApiTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient Table(string name) =>
        new TableServiceClient(host.ConnectionString).GetTableClient(host.Prefix + name);

    private async Task<List<TableEntity>> PartitionAsync(string table, string pk) =>
        await Table(table)
            .QueryAsync<TableEntity>($"PartitionKey eq '{pk.ToUpperInvariant()}'", cancellationToken: Ct)
            .ToListAsync(Ct);

    [Fact]
    public async Task Without_a_key_the_api_answers_401_and_stores_nothing()
    {
        var body = Enrolments.Valid();
        var response = await host.Anonymous.PostAsJsonAsync("/api/patients", body, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/api/patients")
        {
            Headers = { { "x-functions-key", "nope" } },
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.SendAsync(wrongKey, Ct)).StatusCode);
        Assert.Empty(await PartitionAsync("Patients", (string)body["studyId"]!));
    }

    [Fact]
    public async Task The_key_is_also_taken_from_the_code_query()
    {
        var response = await host.Anonymous.GetAsync($"/api/patients?code={HostFixture.FunctionKey}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_enrolment_is_created_with_its_waves_index_contact_and_audit()
    {
        var body = Enrolments.Valid();
        var id = (string)body["studyId"]!;
        var response = await host.PostJsonAsync("/api/patients", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/patients/{id}", response.Headers.Location?.ToString());
        var record = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(id, record.GetProperty("studyId").GetString());
        Assert.Equal("chronicLymphocyticLeukaemia", record.GetProperty("primaryMalignancy").GetString());
        Assert.False(record.TryGetProperty("email", out _), "the clinical record must not carry the e-mail address");
        var waves = record
            .GetProperty("waves")
            .EnumerateArray()
            .Select(w => (w.GetProperty("wave").GetString(), w.GetProperty("dueDate").GetString()))
            .ToList();
        // Calendar months: 31 March + 3 months = 30 June (end of month clamps), + 12 months = 31 March.
        Assert.Equal([("baseline", "2025-03-31"), ("3m", "2025-06-30"), ("1y", "2026-03-31")], waves);

        var get = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        Assert.Equal(record.GetRawText(), get.GetRawText());

        var partition = await PartitionAsync("Patients", id);
        Assert.Contains(partition, e => e.RowKey == "patient" && e.GetString("Status") == "active");
        Assert.Equal(3, partition.Count(e => e.RowKey.StartsWith("wave|", StringComparison.Ordinal)));
        var audit = Assert.Single(partition, e => e.RowKey.StartsWith("audit|", StringComparison.Ordinal));
        Assert.Equal("enrolled", audit.GetString("Action"));
        Assert.DoesNotContain(
            partition,
            e =>
                ((IDictionary<string, object>)e)
                    .Values.OfType<string>()
                    .Any(v => v.Contains("example.dk", StringComparison.Ordinal))
        );

        var contact = Assert.Single(await PartitionAsync("Contacts", id));
        Assert.Equal("patient@example.dk", contact.GetString("Email"));
        Assert.Equal("da", contact.GetString("Language"));

        // The action index: every window of a procedure in 2025 has opened by now (clinic time), so the scheduler
        // is asked to look at all three waves today; their windows are on the wave rows.
        var today = DateOnly
            .FromDateTime(
                TimeZoneInfo
                    .ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen"))
                    .DateTime
            )
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [$"{id.ToUpperInvariant()}|1y", $"{id.ToUpperInvariant()}|3m", $"{id.ToUpperInvariant()}|baseline"],
            (await PartitionAsync("Schedule", today)).Where(e => e.GetString("StudyId") == id).Select(e => e.RowKey)
        );
        var windows = partition
            .Where(e => e.RowKey.StartsWith("wave|", StringComparison.Ordinal))
            .Select(e => (e.RowKey, e.GetString("OpensOn"), e.GetString("ClosesOn"), e.GetString("State")));
        Assert.Equal(
            [
                ("wave|1y", "2026-03-24", "2026-04-28", "scheduled"),
                ("wave|3m", "2025-06-23", "2025-07-28", "scheduled"),
                ("wave|baseline", today, "2025-04-14", "scheduled"),
            ],
            windows
        );
    }

    [Fact]
    public async Task A_duplicate_study_id_is_409_and_leaves_the_first_record_as_it_was()
    {
        var body = Enrolments.Valid();
        var id = (string)body["studyId"]!;
        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", body)).StatusCode);

        var second = new Dictionary<string, object?>(body) { ["ageAtProcedure"] = 50, ["email"] = "other@example.dk" };
        var response = await host.PostJsonAsync("/api/patients", second);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("studyId", problem.GetProperty("field").GetString());
        var stored = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id}", Ct);
        Assert.Equal(78, stored.GetProperty("ageAtProcedure").GetInt32());
        Assert.Equal("patient@example.dk", (await PartitionAsync("Contacts", id)).Single().GetString("Email"));
        // Sending the very same enrolment again is a duplicate too (it was completed).
        Assert.Equal(HttpStatusCode.Conflict, (await host.PostJsonAsync("/api/patients", body)).StatusCode);
    }

    public static TheoryData<string, object?, string> BadFields =>
        new()
        {
            { "studyId", null, "studyId" },
            { "studyId", "has space", "studyId" },
            { "studyId", "a/b", "studyId" },
            { "studyId", "0101701234", "studyId" },
            { "studyId", new string('x', 65), "studyId" },
            { "sex", "male", "sex" },
            { "sex", null, "sex" },
            { "ageAtProcedure", 12, "ageAtProcedure" },
            { "ageAtProcedure", 130, "ageAtProcedure" },
            { "ageAtProcedure", null, "ageAtProcedure" },
            { "primaryMalignancy", "MultipleMyeloma", "primaryMalignancy" },
            { "primaryMalignancy", "melanoma", "primaryMalignancy" },
            { "diagnosisBasis", "ct", "diagnosisBasis" },
            { "procedureDate", "31-03-2025", "procedureDate" },
            { "procedureDate", "2099-01-01", "procedureDate" },
            { "procedureDate", "2001-01-01", "procedureDate" },
            { "levels", Array.Empty<object>(), "levels" },
            { "levels", new object[] { new { level = "T13", posteriorWallDefect = false } }, "levels[0].level" },
            {
                "levels",
                new object[]
                {
                    new { level = "L1", posteriorWallDefect = false },
                    new { level = "L1", posteriorWallDefect = true },
                },
                "levels[1].level"
            },
            { "levels", new object[] { new { level = "L1" } }, "levels[0].posteriorWallDefect" },
            { "complications", new object[] { new { type = "bleeding" } }, "complications[0].symptomatic" },
            { "complications", new object[] { new { type = "a b", symptomatic = true } }, "complications[0].type" },
            { "email", "not-an-address", "email" },
            { "email", null, "email" },
            { "language", "de", "language" },
        };

    /// <summary>Every row of the three tables an enrolment writes, read back from Azurite with its ETag.</summary>
    private async Task<List<string>> StoredRowsAsync()
    {
        var rows = new List<string>();
        foreach (var table in new[] { "Patients", "Schedule", "Contacts" })
        {
            await foreach (var e in Table(table).QueryAsync<TableEntity>(cancellationToken: Ct))
                rows.Add($"{table} {e.PartitionKey} {e.RowKey} {e.ETag}");
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_bad_field_is_400_naming_it_and_nothing_is_stored(string field, object? value, string errorKey)
    {
        var body = Enrolments.Valid();
        body[field] = value;
        // Tests of a class run one after another, so nothing else writes to this host's tables meanwhile.
        var before = await StoredRowsAsync();
        var response = await host.PostJsonAsync("/api/patients", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal([errorKey], errors);
        // Whatever key a half-write would have used (the bad study id too), no row was added or changed anywhere.
        Assert.Equal(before, await StoredRowsAsync());
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var body = Enrolments.Valid();
        body["sex"] = "x";
        body["ageAtProcedure"] = 5;
        body["language"] = "fr";
        var problem = await (await host.PostJsonAsync("/api/patients", body)).Content.ReadFromJsonAsync<JsonElement>(
            Ct
        );
        Assert.Equal(
            ["ageAtProcedure", "language", "sex"],
            problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order()
        );
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("[]", "body")]
    [InlineData("{\"ageAtProcedure\": \"old\"}", "ageAtProcedure")]
    [InlineData("{\"levels\": {\"level\": \"L1\"}}", "levels")]
    public async Task A_malformed_body_is_400_naming_where(string json, string field)
    {
        var response = await host.Client.PostAsync(
            "/api/patients",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            Ct
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task An_unknown_patient_is_404_problem()
    {
        var response = await host.Client.GetAsync("/api/patients/PVP-NOBODY", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
