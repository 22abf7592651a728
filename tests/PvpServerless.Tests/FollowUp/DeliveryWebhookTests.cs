using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PvpServerless.Email;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// SendGrid's Event Webhook over the local host: only posts signed with our key, just now, are read; bounces make
/// the wave of a real sent e-mail undeliverable (read back from Azurite), deliveries are only recorded.
/// </summary>
public sealed class DeliveryWebhookTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private const string Path = "/api/sendgrid/events";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonNode? Json)> PostAsync(
        string body,
        (string Signature, string Timestamp)? headers
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (headers is { } h)
        {
            request.Headers.Add(SendGridWebhookVerifier.SignatureHeader, h.Signature);
            request.Headers.Add(SendGridWebhookVerifier.TimestampHeader, h.Timestamp);
        }
        using var response = await host.Anonymous.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private Task<(HttpStatusCode Status, JsonNode? Json)> PostSignedAsync(string body) =>
        PostAsync(body, host.Sign(body, DateTimeOffset.UtcNow));

    private static string Event(string type, string emailId, DateTimeOffset at, string? reason = null) =>
        new JsonObject
        {
            ["email"] = "someone@example.dk",
            ["event"] = type,
            ["timestamp"] = at.ToUnixTimeSeconds(),
            ["sg_event_id"] = Guid.NewGuid().ToString("N"),
            ["sg_message_id"] = "msg." + emailId,
            [SendGridTransport.EmailIdArg] = emailId,
            ["reason"] = reason,
            ["response"] = type == "delivered" ? "250 OK for someone@example.dk" : null,
        }.ToJsonString();

    private static string Batch(params string[] events) => "[" + string.Join(",", events) + "]";

    [Fact]
    public async Task Unsigned_badly_signed_and_stale_posts_get_401_and_change_nothing()
    {
        var email = await host.EnrolAndInviteAsync("DLV-401-1", "da");
        var body = Batch(Event("bounce", email.EmailId, DateTimeOffset.UtcNow, "550 user unknown"));
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var good = host.Sign(body, now);

        var cases = new (string Name, (string, string)? Headers)[]
        {
            ("unsigned", null),
            ("no timestamp", (good.Signature, "")),
            ("signature not base64", ("not*base64", good.Timestamp)),
            ("another key", host.Sign(body, now, stranger)),
            ("another body", (host.Sign(body + " ", now).Signature, good.Timestamp)),
            ("ten minutes old", host.Sign(body, now.AddMinutes(-10))),
            ("from the future", host.Sign(body, now.AddMinutes(5))),
        };
        foreach (var (name, headers) in cases)
        {
            var (status, json) = await PostAsync(body, headers);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{name}: {status} {json}");
            Assert.Equal(401, json!["status"]!.GetValue<int>());
            Assert.Equal("The post is not signed by SendGrid.", json["title"]!.ToString());
        }
        Assert.Equal("invited", (await host.WaveRowAsync("DLV-401-1", "baseline")).GetString("State"));

        // The very same post, properly signed, is read.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body, good)).Status);
    }

    [Fact]
    public async Task A_bounce_makes_the_wave_undeliverable_once_and_the_same_batch_again_changes_nothing()
    {
        var email = await host.EnrolAndInviteAsync("DLV-BOUNCE-1", "da");
        Assert.Equal("invited", (await host.WaveRowAsync("DLV-BOUNCE-1", "baseline")).GetString("State"));
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        var body = Batch(
            Event("processed", email.EmailId, at.AddSeconds(-5)),
            Event("bounce", email.EmailId, at, "550 5.1.1 <dlv-bounce-1@example.dk>: Recipient address rejected"),
            Event("bounce", "unknownEmailId0001", at)
        );

        var (status, json) = await PostSignedAsync(body);

        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Equal(
            """{"events":2,"ignored":1,"unknownEmails":1,"undeliverable":1,"recorded":0,"unchanged":0}""",
            json!.ToJsonString()
        );
        var wave = await host.WaveRowAsync("DLV-BOUNCE-1", "baseline");
        Assert.Equal("undeliverable", wave.GetString("State"));
        Assert.Equal("bounce", wave.GetString("DeliveryState"));
        Assert.Equal("550 5.1.1 <[address]>: Recipient address rejected", wave.GetString("DeliveryReason"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()), wave.GetDateTimeOffset("DeliveryAt"));
        Assert.Equal(email.EmailId, wave.GetString("DeliveryEmailId"));
        var audit = await host.AuditAsync("DLV-BOUNCE-1");
        var line = Assert.Single(audit, a => a.GetString("Action") == "emailUndeliverable");
        Assert.Equal("sendgrid", line.GetString("Actor"));
        Assert.DoesNotContain("@", line.GetString("Details"), StringComparison.Ordinal);
        Assert.Contains("\"from\":\"invited\"", line.GetString("Details"), StringComparison.Ordinal);

        // SendGrid posts a batch again when it thinks we did not take it.
        var (again, second) = await PostSignedAsync(body);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(
            """{"events":2,"ignored":1,"unknownEmails":1,"undeliverable":0,"recorded":0,"unchanged":1}""",
            second!.ToJsonString()
        );
        Assert.Equal(audit.Count, (await host.AuditAsync("DLV-BOUNCE-1")).Count);
        Assert.Equal(wave.ETag, (await host.WaveRowAsync("DLV-BOUNCE-1", "baseline")).ETag);

        // A late "delivered" of the same e-mail does not undo it.
        var (late, third) = await PostSignedAsync(Batch(Event("delivered", email.EmailId, at.AddSeconds(10))));
        Assert.Equal(HttpStatusCode.OK, late);
        Assert.Equal(1, third!["unchanged"]!.GetValue<int>());
        Assert.Equal("bounce", (await host.WaveRowAsync("DLV-BOUNCE-1", "baseline")).GetString("DeliveryState"));
    }

    [Fact]
    public async Task Delivered_and_deferred_are_only_recorded_and_an_answered_wave_stays_answered()
    {
        var email = await host.EnrolAndInviteAsync("DLV-OK-1", "en");
        var at = DateTimeOffset.UtcNow.AddSeconds(-20);

        var (status, json) = await PostSignedAsync(
            Batch(Event("deferred", email.EmailId, at.AddSeconds(-10)), Event("delivered", email.EmailId, at))
        );

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, json!["recorded"]!.GetValue<int>());
        var wave = await host.WaveRowAsync("DLV-OK-1", "baseline");
        Assert.Equal(("invited", "delivered"), (wave.GetString("State"), wave.GetString("DeliveryState")));
        Assert.Equal("250 OK for [address]", wave.GetString("DeliveryReason"));

        var answered = await host.EnrolAndInviteAsync("DLV-ANS-1", "da");
        var response = await host.PostJsonAsync(
            "/api/patients/DLV-ANS-1/responses",
            new
            {
                wave = "baseline",
                completedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
                odi = new int?[] { 1, 1, 1, 1, 1, 1, 0, null, 1, 1 },
            }
        );
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        Assert.NotNull((await host.WaveRowAsync("DLV-ANS-1", "baseline")).GetDateTimeOffset("AnsweredAt"));

        var (_, spam) = await PostSignedAsync(Batch(Event("spamreport", answered.EmailId, DateTimeOffset.UtcNow)));

        Assert.Equal(1, spam!["recorded"]!.GetValue<int>());
        var row = await host.WaveRowAsync("DLV-ANS-1", "baseline");
        Assert.NotEqual("undeliverable", row.GetString("State"));
        Assert.Equal("spamreport", row.GetString("DeliveryState"));
    }

    [Fact]
    public async Task A_signed_body_that_is_not_an_event_array_is_400_and_an_oversized_one_413()
    {
        var (status, json) = await PostSignedAsync("""{"event":"bounce"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body: expected a JSON array of events.", json!["errors"]!["body"]![0]!.ToString());

        var big = "[" + new string(' ', SendGridEventParser.MaxBodyBytes) + "]";
        var (tooLarge, _) = await PostAsync(big, host.Sign(big, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
    }
}
