using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PvpServerless.Email;

/// <summary>The verdict on one Event Webhook post; only <see cref="Valid"/> may be read further.</summary>
public enum WebhookVerdict
{
    Valid,

    /// <summary><c>Email:WebhookPublicKey</c> is not set: every post is refused.</summary>
    NotConfigured,

    /// <summary>The signature or timestamp header is missing or not of the expected form.</summary>
    Unsigned,

    /// <summary>The signature does not match the timestamp and body under our key.</summary>
    BadSignature,

    /// <summary>Signed, but older than <c>Email:WebhookMaxAge</c> or more than a minute in the future.</summary>
    Stale,
}

/// <summary>
/// Checks SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature (base64 DER) over the timestamp header
/// followed by the raw body, under the public key of <c>Email:WebhookPublicKey</c> (docs/email.md).
/// </summary>
public sealed class SendGridWebhookVerifier
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <summary>How far a timestamp may lie ahead of our clock (clock drift between SendGrid and us).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(1);

    private readonly byte[]? _publicKey;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;

    public SendGridWebhookVerifier(IOptions<EmailOptions> options, TimeProvider time)
    {
        // Kept as bytes and imported per call: an ECDsa instance is not documented as safe to share across threads.
        using var key = EmailOptions.ImportWebhookKey(options.Value.WebhookPublicKey);
        _publicKey = key?.ExportSubjectPublicKeyInfo();
        _maxAge = options.Value.WebhookMaxAge;
        _time = time;
    }

    public WebhookVerdict Verify(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_publicKey is null)
            return WebhookVerdict.NotConfigured;
        if (
            string.IsNullOrEmpty(signature)
            || signature.Length > 200
            || timestamp is not { Length: >= 1 and <= 12 }
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        )
        {
            return WebhookVerdict.Unsigned;
        }
        var der = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, der, out var derLength))
            return WebhookVerdict.Unsigned;

        var signed = new byte[timestamp.Length + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(timestamp.Length));
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_publicKey, out _);
        var ok = key.VerifyData(
            signed,
            der.AsSpan(0, derLength),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence
        );
        if (!ok)
            return WebhookVerdict.BadSignature;

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799));
        return age > _maxAge || age < -FutureTolerance ? WebhookVerdict.Stale : WebhookVerdict.Valid;
    }
}
