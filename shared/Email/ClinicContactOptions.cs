using Microsoft.Extensions.Options;
using PvpServerless.Patients;

namespace PvpServerless.Email;

/// <summary>
/// What an e-mail says about the clinic and where its links point (configuration section <c>Clinic</c>; the time zone
/// of the same section is <see cref="Domain.ClinicTimeOptions"/>).
/// </summary>
public sealed class ClinicContactOptions
{
    public const string Section = "Clinic";

    /// <summary>
    /// The public address of the survey pages: links are <c>{PublicBaseUrl}/survey/{token}</c>. The default is the
    /// local host of <c>./pvp up</c>; the SendGrid transport refuses to start with anything but https.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:7071/api";

    /// <summary>The clinic's name as patients know it (required with SendGrid).</summary>
    public string Name { get; set; } = "";

    /// <summary>A telephone number patients may call (required with SendGrid).</summary>
    public string Phone { get; set; } = "";

    /// <summary>An address patients may write to; optional.</summary>
    public string ContactEmail { get; set; } = "";

    /// <summary>
    /// The base URL without a trailing slash, or null when the setting is not an absolute http(s) URL.
    /// </summary>
    internal static Uri? ParseBaseUrl(string? text)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri))
            return null;
        if (uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return null;
        if (uri.UserInfo.Length > 0)
            return null;
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }
}

internal sealed class ClinicContactOptionsValidator : IValidateOptions<ClinicContactOptions>
{
    public ValidateOptionsResult Validate(string? name, ClinicContactOptions options)
    {
        const string S = ClinicContactOptions.Section;
        var failures = new List<string>();
        if (ClinicContactOptions.ParseBaseUrl(options.PublicBaseUrl) is null)
        {
            failures.Add(
                $"{S}:{nameof(options.PublicBaseUrl)}: '{options.PublicBaseUrl}' is not an absolute http or https URL "
                    + "without query or fragment (e.g. https://pvp.example.dk)."
            );
        }
        if (options.Name.Length > 100)
            failures.Add($"{S}:{nameof(options.Name)}: at most 100 characters.");
        if (options.Phone.Length > 40)
            failures.Add($"{S}:{nameof(options.Phone)}: at most 40 characters.");
        if (options.ContactEmail.Length > 0 && !EnrolmentValidator.IsEmail(options.ContactEmail))
            failures.Add($"{S}:{nameof(options.ContactEmail)}: '{options.ContactEmail}' is not an e-mail address.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
