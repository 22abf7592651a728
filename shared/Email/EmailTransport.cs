using System.Buffers.Text;
using System.Security.Cryptography;

namespace PvpServerless.Email;

/// <summary>
/// Sends one rendered e-mail. Implementations: <see cref="SendGridTransport"/>, <see cref="OutboxTransport"/>.
/// </summary>
public interface IEmailTransport
{
    /// <summary>Never throws for a refusal or an outage: those are results. Throws only when cancelled.</summary>
    Task<SendResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken);
}

/// <summary>What became of one attempt to send.</summary>
public abstract record SendResult
{
    private SendResult() { }

    /// <summary>
    /// Accepted for delivery; <see cref="MessageId"/> is the provider's id (SendGrid's X-Message-Id).
    /// </summary>
    public sealed record Sent(string MessageId) : SendResult;

    /// <summary>Not sent now, may succeed later: wait at least <see cref="RetryAfter"/>.</summary>
    public sealed record RetryLater(TimeSpan RetryAfter, string Reason) : SendResult;

    /// <summary>
    /// Refused; sending the same again will fail the same way. <see cref="Status"/> is the HTTP status.
    /// </summary>
    public sealed record Rejected(int Status, string Reason) : SendResult;
}

/// <summary>Opaque e-mail ids: what SendGrid's events carry back to us instead of the address or the token.</summary>
public static class EmailIds
{
    /// <summary>128 random bits, URL-safe base64 (22 characters).</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// 8 to 64 characters of A–Z a–z 0–9 '-' '_': safe as a blob name part, a custom arg and a table key.
    /// </summary>
    public static bool IsValid(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    internal static void Require(OutgoingEmail email)
    {
        if (!IsValid(email.EmailId))
            throw new ArgumentException("EmailId must be 8–64 characters of A–Z a–z 0–9 '-' '_'.", nameof(email));
    }
}
