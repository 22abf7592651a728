using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace PvpServerless.Email;

/// <summary>
/// Sends through SendGrid's v3 Mail Send API (docs/email.md). 2xx → Sent; 429, 408, 5xx, a timeout or no connection →
/// RetryLater (honouring Retry-After, else X-RateLimit-Reset, else a jittered default); any other status → Rejected
/// with SendGrid's own error message.
/// </summary>
public sealed class SendGridTransport : IEmailTransport, IDisposable
{
    /// <summary>The custom arg that carries the opaque e-mail id; SendGrid returns it in every event.</summary>
    public const string EmailIdArg = "pvp_email_id";

    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(24);

    private readonly EmailOptions _options;
    private readonly ClinicDetails _clinic;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly SendGridClient _client;

    public SendGridTransport(IOptions<EmailOptions> options, IOptions<ClinicContactOptions> clinic, TimeProvider time)
    {
        _options = options.Value;
        _clinic = ClinicDetails.From(clinic.Value);
        _time = time;
        // Our own HttpClient: no SDK retry handler (retries are ours) and no client-wide timeout (ours is per call).
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var clientOptions = new SendGridClientOptions { ApiKey = _options.SendGridApiKey };
        if (_options.SendGridHost.Length > 0)
            clientOptions.Host = _options.SendGridHost;
        _client = new SendGridClient(_http, clientOptions);
    }

    public async Task<SendResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        EmailIds.Require(email);
        var message = Message(email);
        using var timeout = new CancellationTokenSource(_options.SendTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await _client.SendEmailAsync(message, linked.Token);
            return await InterpretAsync(response, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // SendGrid may still have accepted it: a retry can duplicate, which beats losing the e-mail.
            return new SendResult.RetryLater(
                DefaultWait(),
                $"SendGrid did not answer within {_options.SendTimeout:c}."
            );
        }
        catch (HttpRequestException e)
        {
            return new SendResult.RetryLater(
                DefaultWait(),
                "SendGrid could not be reached: " + ProviderText.Clean(e.Message)
            );
        }
    }

    public void Dispose() => _http.Dispose();

    private SendGridMessage Message(OutgoingEmail email)
    {
        var fromName = _options.FromName.Length > 0 ? _options.FromName : _clinic.Name;
        var message = MailHelper.CreateSingleEmail(
            new EmailAddress(_options.FromAddress, fromName.Length > 0 ? fromName : null),
            new EmailAddress(email.To),
            email.Content.Subject,
            email.Content.Text,
            email.Content.Html
        );
        message.AddCustomArg(EmailIdArg, email.EmailId);
        if (_clinic.ContactEmail.Length > 0)
            message.SetReplyTo(new EmailAddress(_clinic.ContactEmail, _clinic.Name.Length > 0 ? _clinic.Name : null));
        // Click tracking would route every token through SendGrid's redirector, and open tracking is a spy pixel:
        // neither belongs in a patient's e-mail.
        message.SetClickTracking(false, false);
        message.SetOpenTracking(false);
        message.SetSubscriptionTracking(false);
        return message;
    }

    private async Task<SendResult> InterpretAsync(Response response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            var id = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
            return new SendResult.Sent(id ?? "");
        }
        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
        var reason = ErrorMessage(body, status);
        if (status is 429 or 408 || status >= 500)
            return new SendResult.RetryLater(WaitFor(response), reason);
        return new SendResult.Rejected(status, reason);
    }

    private TimeSpan WaitFor(Response response)
    {
        var now = _time.GetUtcNow();
        TimeSpan? wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null,
        };
        // SendGrid's rate limiter sends X-RateLimit-Reset (Unix seconds) rather than Retry-After.
        if (
            wait is null
            && response.Headers.TryGetValues("X-RateLimit-Reset", out var resets)
            && long.TryParse(resets.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
        )
        {
            wait = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(reset, 0, 253402300799)) - now;
        }
        if (wait is null)
            return DefaultWait();
        return wait < TimeSpan.Zero ? TimeSpan.Zero
            : wait > LongestWait ? LongestWait
            : wait.Value;
    }

    /// <summary>
    /// Between one and two times <see cref="EmailOptions.DefaultRetryAfter"/>, so retries do not march in step.
    /// </summary>
    private TimeSpan DefaultWait() => _options.DefaultRetryAfter * (1 + Random.Shared.NextDouble());

    /// <summary>SendGrid's <c>{"errors":[{"field":…,"message":…}]}</c> as one line, addresses removed.</summary>
    internal static string ErrorMessage(string body, int status)
    {
        var messages = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    var message = Text(error, "message");
                    var field = Text(error, "field");
                    if (message is not null)
                        messages.Add(field is null ? message : $"{field}: {message}");
                }
            }
        }
        catch (JsonException) { }
        var reason = messages.Count > 0 ? string.Join("; ", messages) : $"SendGrid answered {status}.";
        return ProviderText.Clean(reason);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
