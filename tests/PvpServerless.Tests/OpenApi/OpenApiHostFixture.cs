using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PvpServerless.Email;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.OpenApi;

/// <summary>
/// The local host keyed as a deployment is: every function key of local.settings.sample.json (coordinator,
/// researcher) gets a value of its own, so a route opens only to the key its documentation names. The nightly
/// report is made for the documented report day.
/// </summary>
public sealed partial class OpenApiHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    /// <summary>The day of the report the examples download (the example of <c>{day}</c>).</summary>
    public const string ReportDay = "2026-04-30";

    /// <summary>
    /// The day the examples were written for: their dates (a window's new closing day, a resend's) have bounds that
    /// follow from the example patients' procedure dates, so on the system's clock they would fail some day. The host
    /// runs on this day instead, with time passing as usual from its start.
    /// </summary>
    public static readonly DateTimeOffset ExamplesNow = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Until this day the examples hold on the system's clock, and the host keeps it: Azurite checks the report
    /// links' expiry against the system's clock, so a host behind it signs links that are expired at once (seen on
    /// 2026-11-30 after 09:10, the shifted clock still at 09:00 plus the run's minutes).
    /// </summary>
    public static readonly DateTimeOffset ExamplesHoldUntil = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeProvider _clock = ExamplesClock();

    /// <summary>The clock the examples hold on: the system's until <see cref="ExamplesHoldUntil"/>.</summary>
    public static TimeProvider ExamplesClock() =>
        DateTimeOffset.UtcNow < ExamplesHoldUntil ? TimeProvider.System : new ShiftedClock(ExamplesNow);

    protected override TimeProvider? Clock => _clock;

    /// <summary>Now on the host's clock (what a signature's timestamp must be near).</summary>
    public DateTimeOffset Now => _clock.GetUtcNow();

    [GeneratedRegex("^LocalHost__Functions__([A-Za-z0-9]+)__Keys__([A-Za-z0-9]+)$")]
    private static partial Regex FunctionKeySetting();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => Settings(_webhookKey);

    /// <summary>
    /// The settings of a host the examples run against: the report day, SendGrid's signing key (the public half of
    /// <paramref name="webhookKey"/>), the clinic, and one key per role as local.settings.sample.json names them.
    /// </summary>
    public static Dictionary<string, string?> Settings(ECDsa webhookKey)
    {
        using var sample = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "local.settings.sample.json"))
        );
        var settings = new Dictionary<string, string?>
        {
            ["Reports:CutoffDate"] = ReportDay,
            ["Email:WebhookPublicKey"] = Convert.ToBase64String(webhookKey.ExportSubjectPublicKeyInfo()),
            ["Clinic:Name"] = "Rygklinikken",
        };
        foreach (var value in sample.RootElement.GetProperty("Values").EnumerateObject())
        {
            if (FunctionKeySetting().Match(value.Name) is { Success: true } m)
                settings[$"LocalHost:Functions:{m.Groups[1]}:Keys:{m.Groups[2]}"] = KeyOf(m.Groups[2].Value);
        }
        return settings;
    }

    /// <summary>
    /// The key of a role as this host knows it: the master key, the function key of that name, or none for an
    /// anonymous route.
    /// </summary>
    public static string? KeyOf(string role) =>
        role switch
        {
            "anonymous" => null,
            "master" => MasterKey,
            _ => $"{role}-test-key",
        };

    // SendGrid's signing key for the webhook example: the public half is the host's Email:WebhookPublicKey.
    private readonly ECDsa _webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>SendGrid's signature headers for <paramref name="body"/>, signed now.</summary>
    public IReadOnlyDictionary<string, string> SignAsSendGrid(string body) => SignAsSendGrid(_webhookKey, Now, body);

    /// <summary>SendGrid's signature headers for <paramref name="body"/> under <paramref name="key"/>, at
    /// <paramref name="now"/>.</summary>
    public static IReadOnlyDictionary<string, string> SignAsSendGrid(ECDsa key, DateTimeOffset now, string body)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = key.SignData(
            Encoding.UTF8.GetBytes(timestamp + body),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence
        );
        return new Dictionary<string, string>
        {
            [SendGridWebhookVerifier.SignatureHeader] = Convert.ToBase64String(signature),
            [SendGridWebhookVerifier.TimestampHeader] = timestamp,
        };
    }

    public override async ValueTask DisposeAsync()
    {
        _webhookKey.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A client that sends no key unless told and does not follow redirects (a link is the answer).</summary>
    public HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Client.BaseAddress };
}

/// <summary>The system's clock moved to start at <paramref name="start"/>: time passes, the day stays put.</summary>
internal sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _started = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(_started);
}
