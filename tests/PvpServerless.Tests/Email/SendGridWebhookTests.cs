using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.Email;
using SendGrid.Helpers.EventWebhook;

namespace PvpServerless.Tests.Email;

/// <summary>Signed Event Webhook posts, signed here with a P-256 key of our own as SendGrid signs them.</summary>
public sealed class SendGridWebhookTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _clock = new(Now);

    public void Dispose() => _key.Dispose();

    private string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    private SendGridWebhookVerifier Verifier(string? publicKey = null) =>
        new(Options.Create(new EmailOptions { WebhookPublicKey = publicKey ?? PublicKey }), _clock);

    private static string Stamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Sign(ECDsa key, string timestamp, string body) =>
        Convert.ToBase64String(
            key.SignData(
                Encoding.UTF8.GetBytes(timestamp + body),
                HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence
            )
        );

    private const string Body = """[{"email":"a@example.dk","event":"delivered","timestamp":1751284800}]""";

    [Fact]
    public void A_post_signed_with_our_key_just_now_is_valid()
    {
        var timestamp = Stamp(Now.AddSeconds(-3));
        var signature = Sign(_key, timestamp, Body);

        Assert.Equal(WebhookVerdict.Valid, Verifier().Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void The_signing_here_is_the_one_SendGrids_own_library_accepts()
    {
        // SendGrid's RequestValidator is the reference: what it accepts, we accept, and the other way round.
        var timestamp = Stamp(Now);
        var signature = Sign(_key, timestamp, Body);
        var validator = new RequestValidator();

        Assert.True(
            validator.VerifySignature(validator.ConvertPublicKeyToECDSA(PublicKey), Body, signature, timestamp)
        );
        Assert.False(
            validator.VerifySignature(validator.ConvertPublicKeyToECDSA(PublicKey), Body + " ", signature, timestamp)
        );
        Assert.Equal(WebhookVerdict.Valid, Verifier().Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void A_changed_body_or_timestamp_is_a_bad_signature()
    {
        var timestamp = Stamp(Now);
        var signature = Sign(_key, timestamp, Body);
        var verifier = Verifier();

        Assert.Equal(
            WebhookVerdict.BadSignature,
            verifier.Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body.Replace("delivered", "bounce")))
        );
        Assert.Equal(
            WebhookVerdict.BadSignature,
            verifier.Verify(signature, Stamp(Now.AddSeconds(-1)), Encoding.UTF8.GetBytes(Body))
        );
    }

    [Fact]
    public void A_post_signed_by_another_key_is_a_bad_signature()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var timestamp = Stamp(Now);

        Assert.Equal(
            WebhookVerdict.BadSignature,
            Verifier().Verify(Sign(other, timestamp, Body), timestamp, Encoding.UTF8.GetBytes(Body))
        );
    }

    [Theory]
    [InlineData(null, "1751284800")]
    [InlineData("", "1751284800")]
    [InlineData("not base64 at all!", "1751284800")]
    [InlineData("MEUCIQ==", null)]
    [InlineData("MEUCIQ==", "")]
    [InlineData("MEUCIQ==", "-1751284800")]
    [InlineData("MEUCIQ==", "2025-06-30T12:00:00Z")]
    public void An_unsigned_post_is_refused(string? signature, string? timestamp) =>
        Assert.Equal(WebhookVerdict.Unsigned, Verifier().Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void A_garbled_signature_is_a_bad_signature()
    {
        var timestamp = Stamp(Now);
        var der = Convert.FromBase64String(Sign(_key, timestamp, Body));
        der[^1] ^= 0x01;

        Assert.Equal(
            WebhookVerdict.BadSignature,
            Verifier().Verify(Convert.ToBase64String(der), timestamp, Encoding.UTF8.GetBytes(Body))
        );
    }

    [Theory]
    [InlineData(-301, WebhookVerdict.Stale)] // older than the default 5 minutes: a replay
    [InlineData(-299, WebhookVerdict.Valid)]
    [InlineData(59, WebhookVerdict.Valid)] // a little ahead of our clock
    [InlineData(61, WebhookVerdict.Stale)] // too far in the future
    public void The_timestamp_must_be_recent(int seconds, WebhookVerdict verdict)
    {
        var timestamp = Stamp(Now.AddSeconds(seconds));

        Assert.Equal(verdict, Verifier().Verify(Sign(_key, timestamp, Body), timestamp, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void Without_a_configured_key_every_post_is_refused()
    {
        var timestamp = Stamp(Now);

        Assert.Equal(
            WebhookVerdict.NotConfigured,
            Verifier(publicKey: "").Verify(Sign(_key, timestamp, Body), timestamp, Encoding.UTF8.GetBytes(Body))
        );
    }
}
