using System.Net;
using System.Text.Json.Nodes;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>The outbox routes over the local host: what the Outbox transport stored, master key only.</summary>
public sealed class OutboxFunctionTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> GetAsync(string path, string? key = HostFixture.MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
            request.Headers.Add("x-functions-key", key);
        return await host.Anonymous.SendAsync(request, Ct);
    }

    [Fact]
    public async Task The_outbox_lists_a_sent_invitation_newest_first_and_serves_its_html()
    {
        var first = await host.EnrolAndInviteAsync("OUT-1", "da");
        var second = await host.EnrolAndInviteAsync("OUT-2", "en");

        var list = await GetAsync("/api/outbox?take=2");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var items = JsonNode.Parse(await list.Content.ReadAsStringAsync(Ct))!["items"]!.AsArray();
        Assert.Equal([second.Id, first.Id], items.Select(i => i!["id"]!.ToString()));
        var item = items[0]!;
        Assert.Equal("out-2@example.dk", item["to"]!.ToString());
        Assert.Equal("invitation", item["kind"]!.ToString());
        Assert.Equal("baseline", item["wave"]!.ToString());
        Assert.Equal("en", item["language"]!.ToString());
        Assert.StartsWith("How are you?", item["subject"]!.ToString(), StringComparison.Ordinal);
        var links = item["links"]!.AsArray().Select(l => l!.ToString()).ToList();
        Assert.Equal(2, links.Count);
        Assert.Matches("^http://127.0.0.1:7071/survey/[A-Za-z0-9_-]{43}$", links[0]);
        Assert.Equal(links[0] + "/opt-out", links[1]);
        Assert.Equal(second.QueuedAt, item["queuedAt"]!.GetValue<DateTimeOffset>());

        var newest = await (await GetAsync("/api/outbox?take=1")).Content.ReadAsStringAsync(Ct);
        var one = Assert.Single(JsonNode.Parse(newest)!["items"]!.AsArray());
        Assert.Equal(second.Id, one!["id"]!.ToString());

        var html = await GetAsync($"/api/outbox/{first.Id}");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(" ", html.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        var body = await html.Content.ReadAsStringAsync(Ct);
        Assert.Equal(first.Html, body);
        Assert.Contains("<html lang=\"da\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_take_unknown_id_and_a_missing_or_lesser_key_are_refused()
    {
        foreach (var take in new[] { "0", "201", "x", "-1" })
        {
            var response = await GetAsync($"/api/outbox?take={take}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!["take"]);
        }
        var unknown = await GetAsync("/api/outbox/7980000000000000000-unknownEmailId01");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/outbox/..%2Fsecret")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/outbox", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/outbox", HostFixture.FunctionKey)).StatusCode);
        var lesser = await GetAsync("/api/outbox/x", HostFixture.FunctionKey);
        Assert.Equal(HttpStatusCode.Unauthorized, lesser.StatusCode);
    }
}

/// <summary>With the SendGrid transport there is no outbox to read.</summary>
public sealed class OutboxUnderSendGridTests(SendGridTransportHostFixture host)
    : IClassFixture<SendGridTransportHostFixture>
{
    [Fact]
    public async Task Both_outbox_routes_answer_404_problem()
    {
        foreach (var path in new[] { "/api/outbox", "/api/outbox/7980000000000000000-someEmailId0001" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("x-functions-key", HostFixture.MasterKey);
            using var response = await host.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var problem = JsonNode.Parse(text);
            Assert.Contains("Email:Transport is SendGrid", problem!["detail"]!.ToString(), StringComparison.Ordinal);
        }
    }
}
