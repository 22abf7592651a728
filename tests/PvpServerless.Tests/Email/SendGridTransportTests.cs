using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PvpServerless.Email;
using PvpServerless.Tests.Infrastructure;
using static PvpServerless.Tests.Infrastructure.FakeSendGrid;

namespace PvpServerless.Tests.Email;

/// <summary>The SendGrid transport and the retrying sender against a local fake of SendGrid's v3 API.</summary>
public sealed class SendGridTransportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 6, 30, 8, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly WatchedClock _clock = new(Start);
    private FakeSendGrid _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeSendGrid.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_202_is_sent_with_SendGrids_message_id_and_the_request_carries_what_SendGrid_needs()
    {
        using var transport = EmailSamples.Transport(EmailSamples.SendGrid(_fake.Url), _clock);
        var email = EmailSamples.Email(emailId: "abcDEF123_-x");

        var result = await transport.SendAsync(email, Ct);

        Assert.Equal(new SendResult.Sent("fake-1"), result);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("POST", "/v3/mail/send"), (request.Method, request.Path));
        Assert.Equal($"Bearer {ApiKey}", request.Headers["Authorization"]);
        var json = request.Json;
        var personalization = json["personalizations"]![0]!;
        Assert.Equal(EmailSamples.To, (string?)personalization["to"]![0]!["email"]);
        Assert.Equal("abcDEF123_-x", (string?)personalization["custom_args"]!["pvp_email_id"]);
        Assert.Equal("noreply@example.dk", (string?)json["from"]!["email"]);
        Assert.Equal("Klinik Nord", (string?)json["from"]!["name"]);
        Assert.Equal("pvp@example.dk", (string?)json["reply_to"]!["email"]);
        Assert.Equal(email.Content.Subject, (string?)(json["subject"] ?? personalization["subject"]));
        var contents = json["content"]!.AsArray().ToDictionary(c => (string)c!["type"]!, c => (string)c!["value"]!);
        Assert.Equal(email.Content.Text, contents["text/plain"]);
        Assert.Equal(email.Content.Html, contents["text/html"]);
        // No tracking: links are not rewritten through SendGrid, no pixel.
        Assert.False((bool)json["tracking_settings"]!["click_tracking"]!["enable"]!);
        Assert.False((bool)json["tracking_settings"]!["open_tracking"]!["enable"]!);
        // The only custom arg is the opaque id: never the address or the link.
        Assert.Single(personalization["custom_args"]!.AsObject());
    }

    [Fact]
    public async Task A_429_then_202_is_sent_once_after_waiting_as_Retry_After_says()
    {
        var options = EmailSamples.SendGrid(_fake.Url);
        using var transport = EmailSamples.Transport(options, _clock);
        var sender = EmailSamples.Sender(transport, options, _clock);
        _fake.Enqueue(new Scripted(429, RetryAfter: "7", Body: ErrorBody("too many requests")));

        var (outcome, waits) = await _clock.DriveAsync(
            sender.SendAsync(EmailSamples.Email(), Ct),
            EmailSamples.SendTimeout,
            Ct
        );

        Assert.Equal(new SendResult.Sent("fake-1"), outcome.Result);
        Assert.Equal((2, TimeSpan.FromSeconds(7)), (outcome.Attempts, outcome.Waited));
        Assert.Equal([TimeSpan.FromSeconds(7)], waits);
        var requests = _fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), requests[1].ReceivedAt - requests[0].ReceivedAt);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_the_time_until_then()
    {
        using var transport = EmailSamples.Transport(EmailSamples.SendGrid(_fake.Url), _clock);
        var then = Start.AddSeconds(42).ToString("R", CultureInfo.InvariantCulture);
        _fake.Enqueue(new Scripted(503, RetryAfter: then));

        var result = await transport.SendAsync(EmailSamples.Email(), Ct);

        Assert.Equal(TimeSpan.FromSeconds(42), Assert.IsType<SendResult.RetryLater>(result).RetryAfter);
    }

    [Fact]
    public async Task Without_Retry_After_SendGrids_rate_limit_reset_is_honoured()
    {
        using var transport = EmailSamples.Transport(EmailSamples.SendGrid(_fake.Url), _clock);
        var reset = Start.AddSeconds(13).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        _fake.Enqueue(new Scripted(429, Headers: new Dictionary<string, string> { ["X-RateLimit-Reset"] = reset }));

        var result = await transport.SendAsync(EmailSamples.Email(), Ct);

        Assert.Equal(TimeSpan.FromSeconds(13), Assert.IsType<SendResult.RetryLater>(result).RetryAfter);
    }

    [Fact]
    public async Task A_500_storm_stops_after_the_attempts_with_jittered_default_waits()
    {
        var options = EmailSamples.SendGrid(_fake.Url);
        using var transport = EmailSamples.Transport(options, _clock);
        var sender = EmailSamples.Sender(transport, options, _clock);
        for (var i = 0; i < 10; i++)
            _fake.Enqueue(new Scripted(500, Body: ErrorBody("internal error")));

        var (outcome, waits) = await _clock.DriveAsync(
            sender.SendAsync(EmailSamples.Email(), Ct),
            EmailSamples.SendTimeout,
            Ct
        );

        var later = Assert.IsType<SendResult.RetryLater>(outcome.Result);
        Assert.Equal("internal error", later.Reason);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(3, _fake.Requests.Count);
        // DefaultRetryAfter is 1 s: each wait between 1 and 2 s.
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        Assert.InRange(later.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_wait_beyond_the_total_budget_is_handed_back_instead_of_taken()
    {
        var options = EmailSamples.SendGrid(_fake.Url);
        using var transport = EmailSamples.Transport(options, _clock);
        var sender = EmailSamples.Sender(transport, options, _clock);
        _fake.Enqueue(new Scripted(429, RetryAfter: "120"));

        var (outcome, waits) = await _clock.DriveAsync(
            sender.SendAsync(EmailSamples.Email(), Ct),
            EmailSamples.SendTimeout,
            Ct
        );

        Assert.Equal(TimeSpan.FromSeconds(120), Assert.IsType<SendResult.RetryLater>(outcome.Result).RetryAfter);
        Assert.Equal((1, TimeSpan.Zero), (outcome.Attempts, outcome.Waited));
        Assert.Empty(waits);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_400_is_rejected_with_SendGrids_reason_at_once_and_without_the_address()
    {
        var options = EmailSamples.SendGrid(_fake.Url);
        using var transport = EmailSamples.Transport(options, _clock);
        var sender = EmailSamples.Sender(transport, options, _clock);
        _fake.Enqueue(
            new Scripted(
                400,
                Body: ErrorBody(
                    $"Invalid recipient {EmailSamples.To}: does not contain a valid address.",
                    "personalizations.0.to"
                )
            )
        );

        var (outcome, waits) = await _clock.DriveAsync(
            sender.SendAsync(EmailSamples.Email(), Ct),
            EmailSamples.SendTimeout,
            Ct
        );

        var rejected = Assert.IsType<SendResult.Rejected>(outcome.Result);
        Assert.Equal(400, rejected.Status);
        Assert.Empty(waits);
        Assert.Equal(
            "personalizations.0.to: Invalid recipient [address]: does not contain a valid address.",
            rejected.Reason
        );
        Assert.Single(_fake.Requests);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(413)]
    public async Task Other_refusals_are_rejected(int status)
    {
        using var transport = EmailSamples.Transport(EmailSamples.SendGrid(_fake.Url), _clock);
        _fake.Enqueue(new Scripted(status, Body: ErrorBody("refused")));

        var result = await transport.SendAsync(EmailSamples.Email(), Ct);

        Assert.Equal(new SendResult.Rejected(status, "refused"), result);
    }

    [Fact]
    public async Task A_wrong_key_is_rejected_as_401()
    {
        var options = EmailSamples.SendGrid(_fake.Url);
        options.SendGridApiKey = "SG.wrong";
        using var transport = EmailSamples.Transport(options, _clock);

        var result = await transport.SendAsync(EmailSamples.Email(), Ct);

        var rejected = Assert.IsType<SendResult.Rejected>(result);
        Assert.Equal(401, rejected.Status);
        Assert.Contains("authorization grant is invalid", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_SendGrid_is_retry_later_after_the_timeout()
    {
        var options = EmailSamples.SendGrid(_fake.Url);
        options.SendTimeout = TimeSpan.FromSeconds(1);
        using var transport = EmailSamples.Transport(options, TimeProvider.System);
        _fake.Enqueue(new Scripted(0, Hang: true));

        var watch = Stopwatch.StartNew();
        var result = await transport.SendAsync(EmailSamples.Email(), Ct);

        Assert.Contains(
            "did not answer within",
            Assert.IsType<SendResult.RetryLater>(result).Reason,
            StringComparison.Ordinal
        );
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout()
    {
        using var transport = EmailSamples.Transport(EmailSamples.SendGrid(_fake.Url), TimeProvider.System);
        _fake.Enqueue(new Scripted(0, Hang: true));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            transport.SendAsync(EmailSamples.Email(), cancel.Token)
        );
    }

    [Fact]
    public async Task Cancelling_stops_the_retrying_sender_while_it_waits()
    {
        var options = EmailSamples.SendGrid(_fake.Url);
        using var transport = EmailSamples.Transport(options, _clock);
        var sender = EmailSamples.Sender(transport, options, _clock);
        _fake.Enqueue(new Scripted(429, RetryAfter: "45"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var sending = sender.SendAsync(EmailSamples.Email(), cancel.Token);
        while (_fake.Requests.Count == 0 && !sending.IsCompleted)
            await Task.Delay(10, Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task No_server_at_all_is_retry_later()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port that was free a moment ago: nothing listens there now
        using var transport = EmailSamples.Transport(EmailSamples.SendGrid($"http://127.0.0.1:{port}"), _clock);

        var result = await transport.SendAsync(EmailSamples.Email(), Ct);

        Assert.StartsWith("SendGrid could not be reached", Assert.IsType<SendResult.RetryLater>(result).Reason);
    }

    [Fact]
    public async Task A_malformed_email_id_is_refused_before_anything_is_sent()
    {
        using var transport = EmailSamples.Transport(EmailSamples.SendGrid(_fake.Url), _clock);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            transport.SendAsync(EmailSamples.Email(emailId: EmailSamples.To), Ct)
        );
        Assert.Empty(_fake.Requests);
    }
}
