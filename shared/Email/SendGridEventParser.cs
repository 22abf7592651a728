using System.Text.Json;

namespace PvpServerless.Email;

/// <summary>The SendGrid events we act on.</summary>
public enum EmailEventType
{
    Delivered,
    Deferred,
    Bounce,
    Dropped,
    SpamReport,
}

/// <summary>
/// One SendGrid event for one of our e-mails. <see cref="Reason"/> is the provider's text with any address removed;
/// <see cref="SgEventId"/> is unique per event (SendGrid re-posts a batch it thinks failed: deduplicate by it).
/// </summary>
public sealed record EmailEvent(
    string EmailId,
    EmailEventType Type,
    string? Reason,
    string? SgMessageId,
    string? SgEventId,
    DateTimeOffset Timestamp
);

/// <summary>The events of one post, and how many entries were not for us or of a type we ignore.</summary>
public sealed record EmailEventBatch(IReadOnlyList<EmailEvent> Events, int Ignored);

/// <summary>
/// Reads SendGrid's Event Webhook body: a JSON array of event objects. Only a verified body may be parsed
/// (<see cref="SendGridWebhookVerifier"/>). The recipient's address in each event is never read.
/// </summary>
public static class SendGridEventParser
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxEvents = 5000;

    /// <summary>
    /// False with a message (naming the offending part) when the body is too big or not an event array.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out EmailEventBatch batch, out string? error)
    {
        batch = new EmailEventBatch([], 0);
        error = null;
        if (body.Length > MaxBodyBytes)
        {
            error = $"body: larger than {MaxBodyBytes} bytes.";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
            using var json = JsonDocument.ParseValue(ref reader);
            // ParseValue stops after the first value: anything after it ("[]{…") makes the body not JSON.
            if (reader.Read())
            {
                error = "body: not valid JSON (something follows the array).";
                return false;
            }
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "body: expected a JSON array of events.";
                return false;
            }
            if (json.RootElement.GetArrayLength() > MaxEvents)
            {
                error = $"body: more than {MaxEvents} events.";
                return false;
            }
            var events = new List<EmailEvent>();
            var ignored = 0;
            foreach (var element in json.RootElement.EnumerateArray())
            {
                if (Read(element) is { } e)
                    events.Add(e);
                else
                    ignored++;
            }
            batch = new EmailEventBatch(events, ignored);
            return true;
        }
        catch (JsonException)
        {
            error = "body: not valid JSON.";
            return false;
        }
    }

    private static EmailEvent? Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return null;
        EmailEventType? type = Text(e, "event") switch
        {
            "delivered" => EmailEventType.Delivered,
            "deferred" => EmailEventType.Deferred,
            "bounce" => EmailEventType.Bounce,
            "dropped" => EmailEventType.Dropped,
            "spamreport" => EmailEventType.SpamReport,
            _ => null,
        };
        var emailId = Text(e, SendGridTransport.EmailIdArg);
        if (type is null || !EmailIds.IsValid(emailId) || !TryTimestamp(e, out var timestamp))
            return null;
        return new EmailEvent(
            emailId!,
            type.Value,
            Reason(e, type.Value),
            Text(e, "sg_message_id"),
            Text(e, "sg_event_id"),
            timestamp
        );
    }

    // Bounces and drops explain themselves in "reason"; deferrals and deliveries carry the server's "response".
    private static string? Reason(JsonElement e, EmailEventType type)
    {
        var text = type switch
        {
            EmailEventType.Bounce when Text(e, "type") == "blocked" => "blocked: " + Text(e, "reason"),
            EmailEventType.Bounce or EmailEventType.Dropped => Text(e, "reason"),
            EmailEventType.Deferred or EmailEventType.Delivered => Text(e, "response"),
            _ => null,
        };
        var clean = ProviderText.Clean(text);
        return clean.Length > 0 ? clean : null;
    }

    private static bool TryTimestamp(JsonElement e, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (
            !e.TryGetProperty("timestamp", out var value)
            || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt64(out var seconds)
            || seconds is < 0 or > 253402300799
        )
        {
            return false;
        }
        timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
