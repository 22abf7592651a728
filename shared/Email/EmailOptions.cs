using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PvpServerless.Patients;

namespace PvpServerless.Email;

/// <summary>How e-mail leaves the system (configuration section <c>Email</c>; docs/email.md).</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";
    public const string SendGrid = "SendGrid";
    public const string Outbox = "Outbox";

    /// <summary><c>SendGrid</c> sends for real; <c>Outbox</c> (the default) writes each e-mail to a blob.</summary>
    public string Transport { get; set; } = Outbox;

    /// <summary>
    /// SendGrid API key with Mail Send permission; in Azure a Key Vault reference. Required for SendGrid.
    /// </summary>
    public string SendGridApiKey { get; set; } = "";

    /// <summary>
    /// SendGrid's API address; empty = https://api.sendgrid.com. An EU-pinned subuser uses https://api.eu.sendgrid.com,
    /// tests a local fake.
    /// </summary>
    public string SendGridHost { get; set; } = "";

    /// <summary>The sender address (a domain authenticated in SendGrid). Required for SendGrid.</summary>
    public string FromAddress { get; set; } = "";

    /// <summary>The sender name; empty = <c>Clinic:Name</c>.</summary>
    public string FromName { get; set; } = "";

    /// <summary>How long one call to SendGrid may take before it counts as "retry later".</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The wait when SendGrid asks to retry without a Retry-After header (jittered up to twice this).
    /// </summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts of the retrying sender for one e-mail, the first included.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// The longest the retrying sender waits in total for one e-mail; a longer wait is handed back as "retry later"
    /// (for the queue to schedule) instead of holding the function.
    /// </summary>
    public TimeSpan MaxTotalWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// SendGrid's Event Webhook verification key (base64 SubjectPublicKeyInfo); empty = webhook refused.
    /// </summary>
    public string WebhookPublicKey { get; set; } = "";

    /// <summary>A signed webhook post older than this is refused as a replay.</summary>
    public TimeSpan WebhookMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    public bool UsesSendGrid => string.Equals(Transport, SendGrid, StringComparison.OrdinalIgnoreCase);

    /// <summary>The P-256 key of <see cref="WebhookPublicKey"/>, or null when unset or not such a key.</summary>
    internal static ECDsa? ImportWebhookKey(string base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
            return null;
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64.Trim()), out _);
            if (key.KeySize == 256 && key.ExportParameters(false).Curve.Oid.Value == "1.2.840.10045.3.1.7")
                return key;
        }
        catch (FormatException) { }
        catch (CryptographicException) { }
        key.Dispose();
        return null;
    }
}

/// <summary>Start-up checks: a host with a wrong e-mail setting does not start (docs/email.md).</summary>
internal sealed class EmailOptionsValidator(IOptions<ClinicContactOptions> clinic) : IValidateOptions<EmailOptions>
{
    private const string S = EmailOptions.Section;

    public ValidateOptionsResult Validate(string? name, EmailOptions o)
    {
        var failures = new List<string>();
        if (!o.UsesSendGrid && !string.Equals(o.Transport, EmailOptions.Outbox, StringComparison.OrdinalIgnoreCase))
            failures.Add($"{S}:Transport: '{o.Transport}' is not a transport: SendGrid or Outbox.");
        if (o.SendGridHost.Length > 0 && ClinicContactOptions.ParseBaseUrl(o.SendGridHost) is null)
            failures.Add($"{S}:SendGridHost: '{o.SendGridHost}' is not an absolute http or https URL.");
        if (o.WebhookPublicKey.Length > 0)
        {
            using var key = EmailOptions.ImportWebhookKey(o.WebhookPublicKey);
            if (key is null)
                failures.Add($"{S}:WebhookPublicKey: not a base64 SubjectPublicKeyInfo of a P-256 (ECDSA) key.");
        }
        Within(failures, "SendTimeout", o.SendTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Within(failures, "DefaultRetryAfter", o.DefaultRetryAfter, TimeSpan.Zero, TimeSpan.FromHours(1));
        Within(failures, "MaxTotalWait", o.MaxTotalWait, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Within(failures, "WebhookMaxAge", o.WebhookMaxAge, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
        if (o.MaxAttempts is < 1 or > 10)
            failures.Add($"{S}:MaxAttempts: {o.MaxAttempts} is not between 1 and 10.");
        if (o.UsesSendGrid)
            failures.AddRange(SendGridFailures(o, clinic.Value));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Within(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
            failures.Add($"{S}:{setting}: {value:c} is not between {min:c} and {max:c}.");
    }

    // Real e-mails must carry real links and a way to reach the clinic.
    private static IEnumerable<string> SendGridFailures(EmailOptions o, ClinicContactOptions clinic)
    {
        if (string.IsNullOrWhiteSpace(o.SendGridApiKey))
            yield return $"{S}:SendGridApiKey: required when {S}:Transport is SendGrid.";
        if (!EnrolmentValidator.IsEmail(o.FromAddress))
            yield return $"{S}:FromAddress: required when {S}:Transport is SendGrid: the sender's e-mail address.";
        if (ClinicContactOptions.ParseBaseUrl(clinic.PublicBaseUrl) is not { Scheme: "https" })
            yield return $"Clinic:PublicBaseUrl: must be an https URL when {S}:Transport is SendGrid.";
        if (string.IsNullOrWhiteSpace(clinic.Name))
            yield return $"Clinic:Name: required when {S}:Transport is SendGrid.";
        if (string.IsNullOrWhiteSpace(clinic.Phone))
            yield return $"Clinic:Phone: required when {S}:Transport is SendGrid.";
    }
}
