using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;
using static PvpServerless.Tests.Coordination.ActionRequests;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// The actions over the local host (real time, the Outbox transport): each answers the same when repeated and writes
/// one audit line naming who, and the e-mails that follow are the ones the outbox shows.
/// </summary>
public sealed class ActionApiTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly ClinicToday =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, FollowUpWorld.Copenhagen).DateTime);

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Hands every queued invitation message to SendInvitation, as the queue trigger would.</summary>
    private async Task SendQueuedAsync()
    {
        var queue = host.Storage.Queues.GetQueueClient(host.Prefix + "-invitations");
        foreach (var message in (await queue.ReceiveMessagesAsync(32, cancellationToken: Ct)).Value)
        {
            await host.RunAsync("SendInvitation", message.MessageText);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
        }
    }

    private async Task<List<OutboxMessage>> OutboxToAsync(string address) =>
        [.. (await new OutboxReader(host.Storage).ListAsync(OutboxReader.MaxTake, Ct)).Where(m => m.To == address)];

    private async Task<List<TableEntity>> AuditAsync(string id, string action) =>
        [.. (await host.AuditAsync(id)).Where(a => a.GetString("Action") == action)];

    [Fact]
    public async Task A_resend_goes_through_the_sender_with_the_same_link_and_a_repeat_sends_nothing_more()
    {
        var id = Patients.Enrolments.NewStudyId();
        var invitation = await host.EnrolAndInviteAsync(id, "en");
        var path = $"/api/patients/{id}/waves/baseline/resend";

        var (status, first, _) = await host.Client.CallAsync(Make(HttpMethod.Post, path, headers: User("AB")));
        var (again, repeat, _) = await host.Client.CallAsync(Make(HttpMethod.Post, path, headers: User("AB")));
        Assert.Equal((200, true, false), (status, (bool)first!["changed"]!, (bool)first["newLink"]!));
        Assert.Equal(200, again);
        Assert.Equal(first["emailId"]!.ToString(), repeat!["emailId"]!.ToString());
        Assert.False((bool)repeat["changed"]!);

        await SendQueuedAsync();
        var sent = await OutboxToAsync(invitation.To);
        Assert.Equal(2, sent.Count);
        Assert.Equal(invitation.Links, sent[0].Links); // newest first: the resent e-mail, with the same links
        var audit = Assert.Single(await AuditAsync(id, "invitationResent"));
        Assert.Equal("coordinator:AB", audit.GetString("Actor"));
    }

    [Fact]
    public async Task A_corrected_address_and_language_are_where_the_resend_goes()
    {
        var id = Patients.Enrolments.NewStudyId();
        var invitation = await host.EnrolAndInviteAsync(id, "en");
        var change = await host.PostJsonAsync(
            $"/api/patients/{id}/events",
            new
            {
                type = "contactChange",
                email = "right.address@example.dk",
                language = "da",
            }
        );
        Assert.Equal(201, (int)change.StatusCode);
        var (status, _, _) = await host.Client.CallAsync(
            Make(HttpMethod.Post, $"/api/patients/{id}/waves/baseline/resend", new { })
        );
        Assert.Equal(200, status);
        await SendQueuedAsync();

        var resent = Assert.Single(await OutboxToAsync("right.address@example.dk"));
        Assert.Equal(Language.Da, resent.Language);
        Assert.Equal(invitation.Links[0], resent.Links[0]);
        Assert.Single(await OutboxToAsync(invitation.To));
    }

    [Fact]
    public async Task A_window_moves_with_its_link_once_and_is_bounded()
    {
        var id = Patients.Enrolments.NewStudyId();
        var invitation = await host.EnrolAndInviteAsync(id, "en");
        var path = $"/api/patients/{id}/waves/baseline/window";
        var closesOn = Format(ClinicToday.AddDays(3));

        var (status, first, _) = await host.Client.CallAsync(Make(HttpMethod.Put, path, new { closesOn }, User("AB")));
        var (_, repeat, _) = await host.Client.CallAsync(Make(HttpMethod.Put, path, new { closesOn }, User("AB")));
        Assert.Equal((200, closesOn, true), (status, first!["closesOn"]!.ToString(), (bool)first["changed"]!));
        Assert.Equal((closesOn, false), (repeat!["closesOn"]!.ToString(), (bool)repeat["changed"]!));
        Assert.Single(await AuditAsync(id, "windowChanged"));
        var grant = await new TokenStore(host.Storage, TimeProvider.System).FindAsync(
            DeliveryHostFixture.TokenOf(invitation),
            Ct
        );
        Assert.Equal(closesOn, Format(grant!.ClosesOn));

        // The procedure was yesterday (UTC): a baseline answer is taken until 14 days after it, no later.
        var procedure = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1));
        foreach (var bad in new[] { Format(ClinicToday.AddDays(-1)), Format(procedure.AddDays(15)), "tomorrow" })
        {
            var (refused, problem, _) = await host.Client.CallAsync(Make(HttpMethod.Put, path, new { closesOn = bad }));
            Assert.Equal(400, refused);
            Assert.NotNull(problem!["errors"]!["closesOn"]);
        }
        Assert.Single(await AuditAsync(id, "windowChanged"));
    }

    [Fact]
    public async Task Opting_out_and_in_name_the_signed_in_person_and_repeat_without_effect()
    {
        var id = Patients.Enrolments.NewStudyId();
        await host.EnrolAndInviteAsync(id, "en");
        var signedIn = new Dictionary<string, string>
        {
            ["X-MS-CLIENT-PRINCIPAL"] = Principal(("name", "Anna Berg"), (ObjectIdClaim, "5f1c2a0e-aaaa-bbbb")),
            ["X-MS-CLIENT-PRINCIPAL-NAME"] = "anna.berg@region.example.dk",
            // Ignored behind sign-in, however it reads.
            ["X-Pvp-User"] = "someone@example.dk",
        };
        var outPath = $"/api/patients/{id}/opt-out";
        var (status, first, _) = await host.Client.CallAsync(Make(HttpMethod.Post, outPath, headers: signedIn));
        var (_, repeat, _) = await host.Client.CallAsync(Make(HttpMethod.Post, outPath, headers: signedIn));
        Assert.Equal((200, true, false), (status, (bool)first!["changed"]!, (bool)repeat!["changed"]!));
        Assert.Equal(first["optedOutAt"]!.ToString(), repeat["optedOutAt"]!.ToString());
        Assert.Equal("coordinator:Anna Berg", Assert.Single(await AuditAsync(id, "optedOut")).GetString("Actor"));
        Assert.Equal("skipped", (await host.WaveRowAsync(id, "baseline")).GetString("State"));

        var (inStatus, optIn, _) = await host.Client.CallAsync(
            Make(HttpMethod.Post, $"/api/patients/{id}/opt-in", headers: User("CD"))
        );
        Assert.Equal(200, inStatus);
        Assert.Contains("baseline", optIn!["resumed"]!.AsArray().Select(w => w!.ToString()));
        Assert.Equal("invited", (await host.WaveRowAsync(id, "baseline")).GetString("State"));
        Assert.Equal("coordinator:CD", Assert.Single(await AuditAsync(id, "optedIn")).GetString("Actor"));
        Assert.Null((await host.PatientRowAsync(id)).GetDateTimeOffset("OptedOutAt"));
    }

    [Fact]
    public async Task A_death_ends_the_open_wave_at_once_and_a_resend_is_refused()
    {
        var id = Patients.Enrolments.NewStudyId();
        var invitation = await host.EnrolAndInviteAsync(id, "en");
        var death = await host.PostJsonAsync(
            $"/api/patients/{id}/events",
            new { type = "death", date = Format(ClinicToday) }
        );
        Assert.Equal(201, (int)death.StatusCode);
        var wave = await host.WaveRowAsync(id, "baseline");
        Assert.Equal(("skipped", "dead"), (wave.GetString("State"), wave.GetString("SkipReason")));

        var (status, problem, _) = await host.Client.CallAsync(
            Make(HttpMethod.Post, $"/api/patients/{id}/waves/baseline/resend", new { })
        );
        Assert.Equal((409, "studyId"), (status, problem!["field"]!.ToString()));
        await host.RunAsync("ScheduleFollowUps", "");
        await SendQueuedAsync();
        Assert.Single(await OutboxToAsync(invitation.To));
    }

    [Fact]
    public async Task A_death_date_is_corrected_once_and_the_cohort_document_shows_the_new_one()
    {
        var id = await EnrolAsync();
        Assert.Equal(
            201,
            (int)
                (
                    await host.PostJsonAsync($"/api/patients/{id}/events", new { type = "death", date = "2025-08-01" })
                ).StatusCode
        );
        var path = $"/api/patients/{id}/date-corrections";
        var body = new
        {
            type = "death",
            from = "2025-08-01",
            to = "2025-07-20",
        };
        var (status, first, _) = await host.Client.CallAsync(Make(HttpMethod.Post, path, body, User("AB")));
        var (_, repeat, _) = await host.Client.CallAsync(Make(HttpMethod.Post, path, body, User("AB")));
        Assert.Equal((200, true, false), (status, (bool)first!["changed"]!, (bool)repeat!["changed"]!));
        var audit = Assert.Single(await AuditAsync(id, "dateCorrected"));
        Assert.Equal("{\"type\":\"death\",\"from\":\"2025-08-01\",\"to\":\"2025-07-20\"}", audit.GetString("Details"));

        var (stale, problem, _) = await host.Client.CallAsync(
            Make(
                HttpMethod.Post,
                path,
                new
                {
                    type = "death",
                    from = "2025-08-01",
                    to = "2025-07-10",
                }
            )
        );
        Assert.Equal((409, "from"), (stale, problem!["field"]!.ToString()));
        var (withdrawal, none, _) = await host.Client.CallAsync(
            Make(
                HttpMethod.Post,
                path,
                new
                {
                    type = "withdrawal",
                    from = "2025-08-01",
                    to = "2025-07-10",
                }
            )
        );
        Assert.Equal((409, "type"), (withdrawal, none!["field"]!.ToString()));

        var patient = await host.Client.GetFromJsonAsync<JsonObject>($"/api/patients/{id}", Ct);
        Assert.Equal("2025-07-20", patient!["deathDate"]!.ToString());
        var cohort = await host.Client.GetFromJsonAsync<JsonObject>("/api/exports/cohort.json?cutoff=2025-12-31", Ct);
        var exported = cohort!["patients"]!.AsArray().Single(p => p!["studyId"]!.ToString() == id);
        Assert.Equal("2025-07-20", exported!["deathDate"]!.ToString());
    }

    [Fact]
    public async Task A_death_date_cannot_move_before_an_answer()
    {
        var id = await EnrolAsync();
        Assert.Equal(201, (int)(await host.PostJsonAsync($"/api/patients/{id}/responses", ThreeMonths(1))).StatusCode);
        await host.PostJsonAsync($"/api/patients/{id}/events", new { type = "withdrawal", date = "2025-08-01" });
        var (status, problem, _) = await host.Client.CallAsync(
            Make(
                HttpMethod.Post,
                $"/api/patients/{id}/date-corrections",
                new
                {
                    type = "withdrawal",
                    from = "2025-08-01",
                    to = "2025-06-20",
                }
            )
        );
        Assert.Equal((409, "to"), (status, problem!["field"]!.ToString()));
        Assert.Empty(await AuditAsync(id, "dateCorrected"));
    }

    private async Task<string> EnrolAsync()
    {
        var body = Patients.Enrolments.Valid();
        Assert.Equal(201, (int)(await host.PostJsonAsync("/api/patients", body)).StatusCode);
        return (string)body["studyId"]!;
    }

    /// <summary>
    /// A 3-month questionnaire (procedure 2025-03-31), EQ-5D state {mobility}1221, ODI with section 10 as given.
    /// </summary>
    public static object ThreeMonths(int mobility, int lastOdi = 2, string completedAt = "2025-07-01T09:30:00Z") =>
        new
        {
            wave = "3m",
            completedAt,
            eq5d = new
            {
                mobility,
                selfCare = 1,
                usualActivities = 2,
                pain = 2,
                anxiety = 1,
                vas = 65,
            },
            odi = new int?[] { 2, 1, 2, 1, 2, 2, 1, null, 1, lastOdi },
        };
}
