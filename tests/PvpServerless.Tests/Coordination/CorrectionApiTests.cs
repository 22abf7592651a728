using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;
using static PvpServerless.Tests.Coordination.ActionRequests;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// A mistyped response corrected over the local host, and a stuck pending enrolment abandoned. The scores are the
/// Danish EQ-5D-3L value set's coefficients (shared/Questionnaires/Data/value-sets.csv) and the ODI formula added up
/// by hand here.
/// </summary>
public sealed class CorrectionApiTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // State 11221: 1 − 0.114 (any level above 1) − 0.048 (UA2) − 0.062 (PD2) = 0.776.
    private const double Index11221 = 0.776;

    // State 21221: 0.776 − 0.053 (MO2) = 0.723.
    private const double Index21221 = 0.723;

    // ODI 2,1,2,1,2,2,1,–,1,2: 14 points of 9 answered sections: 100 · 14 / 45 = 31.111…; with section 10 at 3,
    // 15 points: 33.333…
    private const double Odi14 = 100.0 * 14 / 45;
    private const double Odi15 = 100.0 * 15 / 45;

    private async Task<string> EnrolWithThreeMonthsAsync()
    {
        var body = Patients.Enrolments.Valid();
        Assert.Equal(201, (int)(await host.PostJsonAsync("/api/patients", body)).StatusCode);
        var id = (string)body["studyId"]!;
        var stored = await host.PostJsonAsync($"/api/patients/{id}/responses", ActionApiTests.ThreeMonths(1));
        Assert.Equal(201, (int)stored.StatusCode);
        return id;
    }

    private static object Corrected(string completedAt = "2025-07-01T09:30:00Z") =>
        new
        {
            completedAt,
            eq5d = new
            {
                mobility = 2,
                selfCare = 1,
                usualActivities = 2,
                pain = 2,
                anxiety = 1,
                vas = 65,
            },
            odi = new int?[] { 2, 1, 2, 1, 2, 2, 1, null, 1, 3 },
        };

    private static void AssertScores(JsonNode? scores, double index, double odi)
    {
        Assert.Equal(index, (double)scores!["eq5dIndex"]!, 6);
        Assert.Equal(odi, (double)scores["odi"]!, 6);
        Assert.Equal(65, (int)scores["eqVas"]!);
        Assert.Equal(2, (int)scores["pain"]!);
    }

    [Fact]
    public async Task A_corrected_response_is_scored_again_and_the_old_answers_stay_in_the_audit()
    {
        var id = await EnrolWithThreeMonthsAsync();
        var path = $"/api/patients/{id}/responses/3m";
        var (status, read, readResponse) = await host.Client.CallAsync(Make(HttpMethod.Get, path));
        Assert.Equal(200, status);
        AssertScores(read!["scores"], Index11221, Odi14);
        var etag = readResponse.Headers.ETag!.ToString();

        var ifMatch = new Dictionary<string, string> { ["If-Match"] = etag, ["X-Pvp-User"] = "AB" };
        var (corrected, first, firstResponse) = await host.Client.CallAsync(
            Make(HttpMethod.Put, path, Corrected(), ifMatch)
        );
        Assert.Equal(200, corrected);
        Assert.True((bool)first!["changed"]!);
        AssertScores(first["scores"], Index21221, Odi15);
        Assert.NotEqual(etag, firstResponse.Headers.ETag!.ToString());

        // The same correction again (its If-Match is now old): the same answer, nothing written.
        var (again, repeat, _) = await host.Client.CallAsync(Make(HttpMethod.Put, path, Corrected(), ifMatch));
        Assert.Equal((200, false), (again, (bool)repeat!["changed"]!));
        AssertScores(repeat["scores"], Index21221, Odi15);
        // Another correction on that old version: refused.
        var (stale, _, _) = await host.Client.CallAsync(
            Make(HttpMethod.Put, path, Corrected("2025-07-02T09:30:00Z"), ifMatch)
        );
        Assert.Equal(412, stale);

        var row = (
            await host.Storage.Patients.GetEntityAsync<TableEntity>(
                id.ToUpperInvariant(),
                "response|3m",
                cancellationToken: Ct
            )
        ).Value;
        // Stored as the survey pages store theirs: the value set and one column per score.
        Assert.Equal(
            ("DK", 0.723, 65, 100.0 * 15 / 45, 2),
            (
                row.GetString("ValueSet"),
                Math.Round(row.GetDouble("Eq5dIndex")!.Value, 6),
                row.GetInt32("EqVas"),
                row.GetDouble("OdiScore"),
                row.GetInt32("OdiPain")
            )
        );
        Assert.NotNull(row.GetDateTimeOffset("CorrectedAt"));
        Assert.Contains("\"mobility\":2", row.GetString("Eq5d"), StringComparison.Ordinal);
        var audit = Assert.Single(await host.AuditAsync(id), a => a.GetString("Action") == "responseCorrected");
        Assert.Equal("coordinator:AB", audit.GetString("Actor"));
        var details = JsonNode.Parse(audit.GetString("Details")!)!;
        Assert.Equal(1, (int)details["old"]!["eq5d"]!["mobility"]!);
        Assert.Equal(2, (int)details["old"]!["odi"]![9]!);
        AssertScores(details["old"]!["scores"], Index11221, Odi14);
        Assert.Equal(2, (int)details["new"]!["eq5d"]!["mobility"]!);
    }

    [Fact]
    public async Task A_corrected_completion_moves_the_waves_answer_day_and_is_checked_against_the_wave()
    {
        var id = await EnrolWithThreeMonthsAsync();
        var path = $"/api/patients/{id}/responses/3m";
        var (status, _, _) = await host.Client.CallAsync(Make(HttpMethod.Put, path, Corrected("2025-07-03T08:00:00Z")));
        Assert.Equal(200, status);
        var wave = await host.WaveRowAsync(id, "3m");
        Assert.Equal(new DateTimeOffset(2025, 7, 3, 8, 0, 0, TimeSpan.Zero), wave.GetDateTimeOffset("AnsweredAt"));
        Assert.Single(await host.AuditAsync(id), a => a.GetString("Action") == "answeredAtCorrected");

        // Nearer the one-year due date (2026-03-31) than its own (2025-06-30): not a 3-month answer.
        var (late, problem, _) = await host.Client.CallAsync(
            Make(HttpMethod.Put, path, Corrected("2026-01-20T08:00:00Z"))
        );
        Assert.Equal(400, late);
        Assert.NotNull(problem!["errors"]!["completedAt"]);
        var (none, _, _) = await host.Client.CallAsync(
            Make(HttpMethod.Put, $"/api/patients/{id}/responses/1y", Corrected())
        );
        Assert.Equal(404, none);
        var (wave6m, bad, _) = await host.Client.CallAsync(
            Make(HttpMethod.Put, $"/api/patients/{id}/responses/6m", Corrected())
        );
        Assert.Equal(400, wave6m);
        Assert.NotNull(bad!["errors"]!["wave"]);
    }

    [Fact]
    public async Task A_stuck_pending_enrolment_is_abandoned_once_and_its_study_id_enrols_again()
    {
        var body = Patients.Enrolments.Valid();
        var id = (string)body["studyId"]!;
        // What a request that died half-way leaves: the marker and the pending record, a minute old.
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        await host.Storage.Schedule.AddEntityAsync(
            new TableEntity("pending", id.ToUpperInvariant()) { ["StudyId"] = id, ["At"] = at },
            Ct
        );
        await host.Storage.Patients.AddEntityAsync(
            new TableEntity(id.ToUpperInvariant(), "patient")
            {
                ["StudyId"] = id,
                ["Status"] = "pending",
                ["ProcedureDate"] = "2025-03-31",
                ["EnrolledAt"] = at,
                ["RequestHash"] = "another request",
            },
            Ct
        );
        foreach (var w in new[] { "baseline", "3m", "1y" })
            await host.Storage.Patients.AddEntityAsync(new TableEntity(id.ToUpperInvariant(), "wave|" + w), Ct);
        Assert.Equal(409, (int)(await host.PostJsonAsync("/api/patients", body)).StatusCode);

        var path = $"/api/enrolments/pending/{id}";
        var (status, first, _) = await host.Client.CallAsync(Make(HttpMethod.Delete, path, headers: User("AB")));
        var (again, repeat, _) = await host.Client.CallAsync(Make(HttpMethod.Delete, path, headers: User("AB")));
        Assert.Equal((200, true), (status, (bool)first!["changed"]!));
        Assert.Equal((200, false), (again, (bool)repeat!["changed"]!));
        var audit = Assert.Single(await host.AuditAsync(id), a => a.GetString("Action") == "enrolmentRolledBack");
        Assert.Equal("coordinator:AB", audit.GetString("Actor"));
        var marker = await host.Storage.Schedule.GetEntityIfExistsAsync<TableEntity>(
            "pending",
            id.ToUpperInvariant(),
            cancellationToken: Ct
        );
        Assert.False(marker.HasValue);

        Assert.Equal(201, (int)(await host.PostJsonAsync("/api/patients", body)).StatusCode);
        var (enrolled, problem, _) = await host.Client.CallAsync(Make(HttpMethod.Delete, path));
        Assert.Equal((409, "studyId"), (enrolled, problem!["field"]!.ToString()));
        var patient = await host.Client.GetFromJsonAsync<JsonObject>($"/api/patients/{id}", Ct);
        Assert.Equal(id, patient!["studyId"]!.ToString());
    }
}
