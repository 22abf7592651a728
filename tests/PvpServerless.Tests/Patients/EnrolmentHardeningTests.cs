using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Patients;

/// <summary>Study ids, limits, concurrency and abandoned enrolments: what probing the running system found.</summary>
public sealed class EnrolmentHardeningTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient Table(string name) =>
        new TableServiceClient(host.ConnectionString).GetTableClient(host.Prefix + name);

    [Fact]
    public async Task Study_ids_are_one_patient_whatever_their_case()
    {
        var id = "case-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(
            HttpStatusCode.Created,
            (await host.PostJsonAsync("/api/patients", Enrolments.Valid(id))).StatusCode
        );

        var upper = await host.PostJsonAsync("/api/patients", Enrolments.Valid(id.ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Conflict, upper.StatusCode);
        var found = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/{id.ToUpperInvariant()}", Ct);
        Assert.Equal(id, found.GetProperty("studyId").GetString()); // kept as first written
    }

    [Theory]
    [InlineData("010101.1234")]
    [InlineData("010101_1234")]
    [InlineData("010101-1234")]
    [InlineData("0101011234")]
    [InlineData("P-010101.1234")]
    public async Task Every_CPR_shape_is_refused_as_a_study_id(string id)
    {
        var response = await host.PostJsonAsync("/api/patients", Enrolments.Valid(id));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("studyId", out _));
    }

    [Fact]
    public async Task Too_many_complications_are_400_naming_the_field_not_500()
    {
        var body = Enrolments.Valid();
        body["complications"] = Enumerable
            .Range(0, 645)
            .Select(_ => new { type = "bleeding", symptomatic = false })
            .ToArray();
        var response = await host.PostJsonAsync("/api/patients", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["complications"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_huge_body_is_413_with_a_small_answer_that_echoes_nothing()
    {
        var huge = "{\"studyId\":\"" + new string('x', 13 * 1024 * 1024) + "\"}";
        var response = await host.Client.PostAsync(
            "/api/patients",
            new StringContent(huge, Encoding.UTF8, "application/json"),
            Ct
        );
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(text.Length < 1024, $"{text.Length} characters");
        Assert.DoesNotContain("xxxx", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_is_400_naming_it()
    {
        var body = Enrolments.Valid();
        body["cpr"] = "0101011234";
        var response = await host.PostJsonAsync("/api/patients", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["cpr"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Empty(
            await Table("Patients")
                .QueryAsync<TableEntity>(
                    $"PartitionKey eq '{((string)body["studyId"]!).ToUpperInvariant()}'",
                    cancellationToken: Ct
                )
                .ToListAsync(Ct)
        );
    }

    [Fact]
    public async Task The_same_enrolment_sent_twelve_times_at_once_is_stored_once_and_never_answered_500()
    {
        var body = Enrolments.Valid();
        var id = (string)body["studyId"]!;
        var answers = await Task.WhenAll(
            Enumerable.Range(0, 12).Select(_ => host.PostJsonAsync("/api/patients", body))
        );

        var codes = answers.Select(a => (int)a.StatusCode).ToList();
        Assert.All(codes, c => Assert.Contains(c, new[] { 201, 409, 503 }));
        Assert.Contains(201, codes);
        var partition = await Table("Patients")
            .QueryAsync<TableEntity>($"PartitionKey eq '{id.ToUpperInvariant()}'", cancellationToken: Ct)
            .ToListAsync(Ct);
        Assert.Equal("active", Assert.Single(partition, e => e.RowKey == "patient").GetString("Status"));
        Assert.Equal(3, partition.Count(e => e.RowKey.StartsWith("wave|", StringComparison.Ordinal)));
        Assert.Empty(
            await Table("Schedule")
                .QueryAsync<TableEntity>("PartitionKey eq 'pending'", cancellationToken: Ct)
                .Where(e => e.RowKey == id.ToUpperInvariant())
                .ToListAsync(Ct)
        );
    }

    [Fact]
    public async Task A_malformed_continuation_token_is_400()
    {
        var response = await host.Client.GetAsync("/api/patients?continuationToken=garbage%20token", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("continuationToken", out _));
    }

    /// <summary>
    /// What a request abandoned between the patient partition and activation leaves: a pending record with its
    /// waves, index rows, contact and marker, written here as the first step of an enrolment would.
    /// </summary>
    private async Task<string> AbandonedEnrolmentAsync(DateTimeOffset startedAt)
    {
        var id = Enrolments.NewStudyId();
        var key = id.ToUpperInvariant();
        await Table("Patients")
            .AddEntityAsync(
                new TableEntity(key, "patient")
                {
                    ["StudyId"] = id,
                    ["Status"] = "pending",
                    ["ProcedureDate"] = "2025-03-31",
                    ["EnrolledAt"] = startedAt,
                    ["RequestHash"] = "abandoned",
                },
                Ct
            );
        foreach (var (wave, due) in new[] { ("baseline", "2025-03-31"), ("3m", "2025-06-30"), ("1y", "2026-03-31") })
        {
            await Table("Patients")
                .AddEntityAsync(new TableEntity(key, "wave|" + wave) { ["Wave"] = wave, ["DueDate"] = due }, Ct);
            await Table("Schedule")
                .AddEntityAsync(new TableEntity(due, $"{key}|{wave}") { ["StudyId"] = id, ["Wave"] = wave }, Ct);
        }
        await Table("Contacts")
            .AddEntityAsync(new TableEntity(key, "contact") { ["Email"] = "old@example.dk", ["Language"] = "da" }, Ct);
        await Table("Schedule")
            .AddEntityAsync(new TableEntity("pending", key) { ["StudyId"] = id, ["At"] = startedAt }, Ct);
        return id;
    }

    [Fact]
    public async Task An_abandoned_pending_enrolment_blocks_its_id_only_for_a_few_minutes()
    {
        var fresh = await AbandonedEnrolmentAsync(DateTimeOffset.UtcNow);
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await host.PostJsonAsync("/api/patients", Enrolments.Valid(fresh))).StatusCode
        );

        var stale = await AbandonedEnrolmentAsync(DateTimeOffset.UtcNow.AddMinutes(-6));
        var corrected = Enrolments.Valid(stale);
        corrected["email"] = "new@example.dk";
        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", corrected)).StatusCode);

        var key = stale.ToUpperInvariant();
        Assert.Equal(
            "new@example.dk",
            (
                await Table("Contacts").GetEntityAsync<TableEntity>(key, "contact", cancellationToken: Ct)
            ).Value.GetString("Email")
        );
        var audit = await Table("Patients")
            .QueryAsync<TableEntity>($"PartitionKey eq '{key}'", cancellationToken: Ct)
            .Where(e => e.RowKey.StartsWith("audit|", StringComparison.Ordinal))
            .Select(e => e.GetString("Action"))
            .ToListAsync(Ct);
        Assert.Equal(["enrolmentRolledBack", "enrolled"], audit);
        Assert.False(
            (
                await Table("Schedule").GetEntityIfExistsAsync<TableEntity>("pending", key, cancellationToken: Ct)
            ).HasValue
        );
    }
}
