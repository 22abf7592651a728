using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;

namespace PvpServerless.Tests.Email;

/// <summary>Ready-made options and e-mails for the e-mail tests.</summary>
internal static class EmailSamples
{
    public const string To = "patient.person@example.dk";

    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    public static ClinicContactOptions Clinic() =>
        new()
        {
            PublicBaseUrl = "https://pvp.example.dk",
            Name = "Klinik Nord",
            Phone = "+45 70 00 00 00",
            ContactEmail = "pvp@example.dk",
        };

    public static EmailOptions SendGrid(string host) =>
        new()
        {
            Transport = EmailOptions.SendGrid,
            SendGridApiKey = Infrastructure.FakeSendGrid.ApiKey,
            SendGridHost = host,
            FromAddress = "noreply@example.dk",
            SendTimeout = SendTimeout,
            DefaultRetryAfter = TimeSpan.FromSeconds(1),
            MaxAttempts = 3,
            MaxTotalWait = TimeSpan.FromSeconds(60),
        };

    public static SendGridTransport Transport(EmailOptions options, TimeProvider clock) =>
        new(Options.Create(options), Options.Create(Clinic()), clock);

    public static RetryingEmailSender Sender(IEmailTransport transport, EmailOptions options, TimeProvider clock) =>
        new(transport, Options.Create(options), clock, NullLogger<RetryingEmailSender>.Instance);

    public static OutgoingEmail Email(string? emailId = null, EmailKind? kind = null, Wave wave = Wave.ThreeMonths)
    {
        var token = SurveyToken.New();
        var links = new SurveyLinks(new Uri("https://pvp.example.dk"));
        var content = new InvitationContent(
            kind ?? EmailKind.Invitation,
            wave,
            Language.Da,
            links.SurveyUrl(token),
            links.OptOutUrl(token),
            new DateOnly(2025, 10, 3)
        );
        return new OutgoingEmail(
            emailId ?? EmailIds.New(),
            To,
            content.Kind,
            wave,
            Language.Da,
            InvitationEmail.Render(content, ClinicDetails.From(Clinic()))
        );
    }
}
