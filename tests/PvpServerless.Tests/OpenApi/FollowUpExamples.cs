using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.OpenApi;

/// <summary>
/// What the e-mail examples of docs/openapi.yaml stand on, made with the real stores: the example link's token (derived
/// from the test host's FollowUp:TokenKey, so the document can name it and its form check), the e-mails the webhook
/// example names (the sender's e-mail rows), and one e-mail kept by the Outbox transport at a fixed instant (so its
/// id is the documented one).
/// </summary>
public static class FollowUpExamples
{
    public const string TokenNonce = "openapi-example";
    public const string SurveyNonce = "openapi-survey";
    public static readonly DateTimeOffset KeptAt = new(2026, 4, 30, 8, 0, 0, TimeSpan.Zero);

    public static Task ArrangeAsync(HostFixture host, CancellationToken cancellationToken) =>
        ArrangeAsync(host.ConnectionString, host.Prefix, cancellationToken);

    /// <summary>As above, in the storage of another host (a fault test's own Azurite).</summary>
    public static async Task ArrangeAsync(string connectionString, string prefix, CancellationToken cancellationToken)
    {
        var storage = new PvpStorage(
            Options.Create(new StorageOptions { ConnectionString = connectionString, NamePrefix = prefix })
        );
        var token = SurveyToken.Derive(Convert.FromBase64String(HostFixture.TokenKey), TokenNonce);
        // PVP-0043's 3-month window (due 2025-12-08) closed on 2026-01-05: the link still opts out.
        await new TokenStore(storage, TimeProvider.System).CreateAsync(
            token,
            new SurveyGrant("PVP-0043", Wave.ThreeMonths, new DateOnly(2026, 1, 5)),
            cancellationToken
        );
        // PVP-0043's one-year link, open until 2099: the survey examples show its form and answer it.
        await new TokenStore(storage, TimeProvider.System).CreateAsync(
            SurveyToken.Derive(Convert.FromBase64String(HostFixture.TokenKey), SurveyNonce),
            new SurveyGrant("PVP-0043", Wave.OneYear, new DateOnly(2099, 12, 31)),
            cancellationToken
        );
        await SentAsync(storage, "exampleEmail0042", "PVP-0042", "baseline", cancellationToken);
        await SentAsync(storage, "exampleEmail0043", "PVP-0043", "3m", cancellationToken);

        var links = new SurveyLinks(new Uri("http://127.0.0.1:7071"));
        var clinic = new ClinicDetails("Rygklinikken", "+45 70 20 30 40", "");
        var content = InvitationEmail.Render(
            new InvitationContent(
                EmailKind.Invitation,
                Wave.ThreeMonths,
                Language.En,
                links.SurveyUrl(token),
                links.OptOutUrl(token),
                new DateOnly(2026, 1, 5)
            ),
            clinic
        );
        var outbox = new OutboxTransport(storage, new FakeTimeProvider(KeptAt), Options.Create(new EmailOptions()));
        var sent = await outbox.SendAsync(
            new OutgoingEmail(
                "exampleEmail0043",
                "patient.0043@example.dk",
                EmailKind.Invitation,
                Wave.ThreeMonths,
                Language.En,
                content
            ),
            cancellationToken
        );
        Assert.Equal("2516247647999999999-exampleEmail0043", Assert.IsType<SendResult.Sent>(sent).MessageId);
    }

    /// <summary>
    /// After the examples ran: PVP-0043 opted out; the bounce made its 3-month wave undeliverable; its one-year wave
    /// was answered on the web.
    /// </summary>
    public static Task AssertAppliedAsync(HostFixture host, CancellationToken cancellationToken) =>
        AssertAppliedAsync(host.ConnectionString, host.Prefix, cancellationToken);

    /// <summary>As above, in the storage of another host.</summary>
    public static async Task AssertAppliedAsync(
        string connectionString,
        string prefix,
        CancellationToken cancellationToken
    )
    {
        var storage = new PvpStorage(
            Options.Create(new StorageOptions { ConnectionString = connectionString, NamePrefix = prefix })
        );
        var patients = storage.Patients;
        var patient = await patients.GetEntityAsync<TableEntity>("PVP-0043", "patient", null, cancellationToken);
        Assert.NotNull(patient.Value.GetDateTimeOffset("OptedOutAt"));
        var wave = await patients.GetEntityAsync<TableEntity>("PVP-0043", "wave|3m", null, cancellationToken);
        Assert.Equal("undeliverable", wave.Value.GetString("State"));
        Assert.Equal("bounce", wave.Value.GetString("DeliveryState"));
        var answer = await patients.GetEntityAsync<TableEntity>("PVP-0043", "response|1y", null, cancellationToken);
        Assert.Equal("web", answer.Value.GetString("Source"));
        var oneYear = await patients.GetEntityAsync<TableEntity>("PVP-0043", "wave|1y", null, cancellationToken);
        Assert.Equal("answered", oneYear.Value.GetString("State"));
    }

    // As InvitationSender.MarkSentAsync writes it.
    private static Task SentAsync(
        PvpStorage storage,
        string emailId,
        string studyId,
        string wave,
        CancellationToken cancellationToken
    ) =>
        storage.Tokens.UpsertEntityAsync(
            new TableEntity(emailId, "email")
            {
                ["StudyId"] = studyId,
                ["Wave"] = wave,
                ["SentAt"] = KeptAt,
            },
            TableUpdateMode.Replace,
            cancellationToken
        );
}
