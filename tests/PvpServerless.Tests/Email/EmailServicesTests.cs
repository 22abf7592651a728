using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Hosting;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Email;

/// <summary>Registration and start-up validation of the Clinic and Email settings, and the whole chain over Azurite.</summary>
public sealed class EmailServicesTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string, string)[] SendGridReady =
    [
        ("Email:Transport", "SendGrid"),
        ("Email:SendGridApiKey", "SG.key"),
        ("Email:FromAddress", "noreply@example.dk"),
        ("Clinic:PublicBaseUrl", "https://pvp.example.dk"),
        ("Clinic:Name", "Klinik Nord"),
        ("Clinic:Phone", "+45 70 00 00 00"),
    ];

    private ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("AzureWebJobsStorage", (string?)azurite.ConnectionString)])
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddPvpCore(configuration).BuildServiceProvider();
    }

    private static void Start(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void Defaults_start_with_the_outbox_and_Copenhagen()
    {
        using var services = Build(("WEBSITE_TIME_ZONE", "UTC"));
        Start(services);

        Assert.IsType<OutboxTransport>(services.GetRequiredService<IEmailTransport>());
        // Our own setting, not WEBSITE_TIME_ZONE (unsupported on Linux Consumption and Flex plans).
        Assert.Equal("Europe/Copenhagen", services.GetRequiredService<ClinicClock>().Zone.Id);
        Assert.NotNull(services.GetRequiredService<RetryingEmailSender>());
        Assert.NotNull(services.GetRequiredService<SendGridWebhookVerifier>());
        Assert.NotNull(services.GetRequiredService<OutboxReader>());
    }

    [Fact]
    public void SendGrid_with_every_setting_it_needs_starts_and_is_the_transport()
    {
        using var services = Build([.. SendGridReady, ("Clinic:TimeZone", "America/New_York")]);
        Start(services);

        Assert.IsType<SendGridTransport>(services.GetRequiredService<IEmailTransport>());
        Assert.Equal("America/New_York", services.GetRequiredService<ClinicClock>().Zone.Id);
    }

    [Fact]
    public void SendGrid_without_its_settings_fails_start_up_naming_each()
    {
        using var services = Build(("Email:Transport", "SendGrid"), ("Clinic:PublicBaseUrl", "http://127.0.0.1:7071"));

        var e = Assert.Throws<OptionsValidationException>(() => Start(services));

        Assert.Contains("Email:SendGridApiKey: required", e.Message, StringComparison.Ordinal);
        Assert.Contains("Email:FromAddress: required", e.Message, StringComparison.Ordinal);
        Assert.Contains("Clinic:PublicBaseUrl: must be an https URL", e.Message, StringComparison.Ordinal);
        Assert.Contains("Clinic:Name: required", e.Message, StringComparison.Ordinal);
        Assert.Contains("Clinic:Phone: required", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Email:Transport", "Smtp", "Email:Transport: 'Smtp' is not a transport")]
    [InlineData("Email:MaxAttempts", "0", "Email:MaxAttempts: 0 is not between 1 and 10")]
    [InlineData("Email:SendTimeout", "00:30:00", "Email:SendTimeout: 00:30:00 is not between")]
    [InlineData("Email:WebhookMaxAge", "00:00:01", "Email:WebhookMaxAge:")]
    [InlineData("Email:SendGridHost", "api.sendgrid.com", "Email:SendGridHost:")]
    [InlineData("Email:WebhookPublicKey", "bm90IGEga2V5", "Email:WebhookPublicKey: not a base64 SubjectPublicKeyInfo")]
    [InlineData("Clinic:TimeZone", "Mars/Olympus_Mons", "Clinic:TimeZone: 'Mars/Olympus_Mons' is not a known IANA")]
    [InlineData("Clinic:TimeZone", "", "Clinic:TimeZone:")]
    [InlineData("Clinic:PublicBaseUrl", "ftp://pvp.example.dk", "Clinic:PublicBaseUrl: 'ftp://pvp.example.dk' is not")]
    [InlineData("Clinic:PublicBaseUrl", "https://pvp.example.dk/?a=1", "Clinic:PublicBaseUrl:")]
    [InlineData("Clinic:PublicBaseUrl", "pvp.example.dk", "Clinic:PublicBaseUrl:")]
    [InlineData("Clinic:ContactEmail", "not an address", "Clinic:ContactEmail:")]
    public void A_wrong_setting_fails_start_up_naming_it(string key, string value, string message)
    {
        using var services = Build((key, value));

        var e = Assert.Throws<OptionsValidationException>(() => Start(services));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_key_on_another_curve_or_of_another_kind_fails_start_up()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        foreach (var key in new[] { p384.ExportSubjectPublicKeyInfo(), rsa.ExportSubjectPublicKeyInfo() })
        {
            using var services = Build(("Email:WebhookPublicKey", Convert.ToBase64String(key)));
            var e = Assert.Throws<OptionsValidationException>(() => Start(services));
            Assert.Contains("Email:WebhookPublicKey:", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Survey_links_are_built_on_the_public_base_url_without_a_double_slash()
    {
        using var services = Build(("Clinic:PublicBaseUrl", "https://pvp.example.dk/clinic/"));
        Start(services);
        Assert.True(SurveyToken.TryParse(new string('A', 43), out var token));

        var links = services.GetRequiredService<SurveyLinks>();

        Assert.Equal(new Uri($"https://pvp.example.dk/clinic/survey/{token.Value}"), links.SurveyUrl(token));
        Assert.Equal(new Uri($"https://pvp.example.dk/clinic/survey/{token.Value}/opt-out"), links.OptOutUrl(token));
    }

    [Fact]
    public async Task Token_compose_and_send_through_the_outbox_and_no_study_id_is_in_the_email()
    {
        using var services = Build(
            ("Storage:NamePrefix", azurite.NewPrefix()),
            ("Clinic:Name", "Klinik Nord"),
            ("Clinic:Phone", "+45 70 00 00 00")
        );
        Start(services);
        await services.GetRequiredService<PvpStorage>().EnsureCreatedAsync(Ct);
        const string StudyId = "PVP-7731";
        var closes = new DateOnly(2025, 10, 3);
        var token = await services
            .GetRequiredService<TokenStore>()
            .IssueAsync(new SurveyGrant(StudyId, Wave.ThreeMonths, closes), Ct);

        var email = services
            .GetRequiredService<InvitationComposer>()
            .Compose(
                new InvitationRequest(
                    EmailIds.New(),
                    EmailSamples.To,
                    EmailKind.Invitation,
                    Wave.ThreeMonths,
                    Language.En,
                    token,
                    closes
                )
            );
        var outcome = await services.GetRequiredService<RetryingEmailSender>().SendAsync(email, Ct);

        var id = Assert.IsType<SendResult.Sent>(outcome.Result).MessageId;
        var stored = await services.GetRequiredService<OutboxReader>().GetAsync(id, Ct);
        Assert.NotNull(stored);
        Assert.Equal($"http://127.0.0.1:7071/survey/{token.Value}", stored.Links[0]);
        foreach (var part in new[] { stored.Subject, stored.Text, stored.Html, string.Join(" ", stored.Links) })
        {
            Assert.DoesNotContain(StudyId, part, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("7731", part, StringComparison.Ordinal);
        }
        // The link in the e-mail opens the grant.
        var record = await services.GetRequiredService<TokenStore>().FindAsync(stored.Links[0].Split('/')[^1], Ct);
        Assert.Equal(StudyId, record?.StudyId);
    }
}
