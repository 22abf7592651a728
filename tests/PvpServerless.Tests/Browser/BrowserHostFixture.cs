using PvpServerless.Email;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Browser;

/// <summary>
/// The local host of <see cref="DeliveryHostFixture"/> (enrol, schedule, send to the outbox) whose e-mails link to
/// itself (<c>Clinic:PublicBaseUrl</c> is its own address): a browser test opens a link exactly as the e-mail has it.
/// </summary>
public class BrowserHostFixture(AzuriteFixture azurite) : DeliveryHostFixture(azurite)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(base.ExtraSettings)
        {
            ["Clinic:PublicBaseUrl"] = Url + "/api",
            ["Clinic:Name"] = "Rygklinikken, Odense Universitetshospital",
        };

    /// <summary>The questionnaire link of an e-mail, as written in it.</summary>
    public static string SurveyLink(OutboxMessage email) =>
        email.Links.Single(l => l.Contains("/survey/", StringComparison.Ordinal) && !IsOptOut(l));

    /// <summary>The opt-out link of an e-mail, as written in it.</summary>
    public static string OptOutLink(OutboxMessage email) => email.Links.Single(IsOptOut);

    private static bool IsOptOut(string link) => link.EndsWith("/opt-out", StringComparison.Ordinal);
}
