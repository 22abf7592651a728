using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PvpServerless.Cohort;
using PvpServerless.Email;
using PvpServerless.Tests.Cohort;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// One example per finding of the hostile-input suite (docs/evidence.md, "Hostile input"), so that each fix stays
/// fixed whatever the generators happen to draw.
/// </summary>
public sealed class HostileFindingsTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<StorageSnapshot> SnapshotAsync() => StorageSnapshot.TakeAsync(host.ConnectionString, host.Prefix, Ct);

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=utf-16")]
    public async Task A_JSON_body_labelled_as_another_media_type_is_415_naming_Content_Type_and_stores_nothing(
        string contentType
    )
    {
        var body = Enrolments.Valid();
        var before = await SnapshotAsync();
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await host.Client.PostAsync("/api/patients", content, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["Content-Type"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Empty(before.Differences(await SnapshotAsync()));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    [InlineData(null)]
    public async Task A_JSON_body_labelled_as_JSON_or_not_labelled_is_read(string? contentType)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(Enrolments.Valid()));
        if (contentType is not null)
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await host.Client.PostAsync("/api/patients", content, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_webhook_post_labelled_as_text_is_415_and_changes_no_wave()
    {
        var email = await host.EnrolAndInviteAsync("HOSTILE-415-1", "da");
        var body = new JsonArray(
            new JsonObject
            {
                ["email"] = "someone@example.dk",
                ["event"] = "bounce",
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["sg_event_id"] = Guid.NewGuid().ToString("N"),
                [SendGridTransport.EmailIdArg] = email.EmailId,
            }
        ).ToJsonString();
        var (signature, timestamp) = host.Sign(body, DateTimeOffset.UtcNow);
        var before = await SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sendgrid/events")
        {
            Content = new StringContent(body, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add(SendGridWebhookVerifier.SignatureHeader, signature);
        request.Headers.Add(SendGridWebhookVerifier.TimestampHeader, timestamp);

        using var response = await host.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(before.Differences(await SnapshotAsync()));
        Assert.Equal("invited", (await host.WaveRowAsync("HOSTILE-415-1", "baseline")).GetString("State"));
    }

    [Fact]
    public async Task A_duplicate_enrolment_is_409_and_leaves_no_pending_marker_behind()
    {
        var first = Enrolments.Valid();
        Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", first)).StatusCode);
        var before = await SnapshotAsync();

        var again = new Dictionary<string, object?>(first) { ["ageAtProcedure"] = 80 };
        var same = await host.PostJsonAsync("/api/patients", first);
        var other = await host.PostJsonAsync("/api/patients", again);

        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Empty(before.Differences(await SnapshotAsync()));
    }

    [Theory]
    [InlineData("/api/patients?pageSize=", "pageSize")]
    [InlineData("/api/followups?wave=baseline&status=invited&pageSize=", "pageSize")]
    [InlineData("/api/reports?days=", "days")]
    [InlineData("/api/outbox?take=", "take")]
    public async Task A_count_in_the_query_is_ASCII_digits_only(string path, string field)
    {
        foreach (var odd in new[] { "50%00", "%0A50", "7%20", "+5", "%D9%A3", "1_000", "0050000000000" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path + odd);
            request.Headers.Add("x-functions-key", KeyFor(path));

            using var response = await host.Anonymous.SendAsync(request, Ct);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}{odd}: {response.StatusCode}");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{path}{odd}: {problem}");
        }
        using var plain = new HttpRequestMessage(HttpMethod.Get, path + "5");
        plain.Headers.Add("x-functions-key", KeyFor(path));
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.SendAsync(plain, Ct)).StatusCode);
    }

    private static string KeyFor(string path) =>
        path.StartsWith("/api/outbox", StringComparison.Ordinal) ? HostFixture.MasterKey : HostFixture.FunctionKey;

    [Theory]
    [InlineData("[]{\"email\":1}")]
    [InlineData("[][]")]
    [InlineData("[] x")]
    public void A_webhook_body_with_anything_after_its_array_is_not_JSON(string body)
    {
        Assert.False(SendGridEventParser.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
        Assert.True(SendGridEventParser.TryParse("[] "u8, out _, out _)); // trailing white space is still JSON
    }

    [Fact]
    public void A_cohort_document_with_invalid_UTF_8_in_a_string_is_refused_as_not_UTF_8()
    {
        var text = Encoding.UTF8.GetBytes(CohortReaderTests.Valid);
        var at = CohortReaderTests.Valid.IndexOf("PVP-0001", StringComparison.Ordinal);
        byte[] broken = [.. text[..at], 0xC0, 0xAF, .. text[at..]];

        var refused = Assert.Throws<CohortFormatException>(() => CohortReader.Read(broken));

        Assert.Contains("not UTF-8", refused.Message, StringComparison.Ordinal);
    }
}
