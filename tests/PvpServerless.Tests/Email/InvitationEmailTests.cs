using System.Text.RegularExpressions;
using PvpServerless.Domain;
using PvpServerless.Email;

namespace PvpServerless.Tests.Email;

public sealed class InvitationEmailTests
{
    private static readonly Uri Survey = new(
        "https://pvp.example.dk/survey/abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"
    );
    private static readonly Uri OptOut = new(
        "https://pvp.example.dk/survey/abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE/opt-out"
    );
    private static readonly ClinicDetails Clinic = new("Klinik Nord", "+45 70 00 00 00", "pvp@example.dk");

    private static RenderedEmail Render(
        Language language,
        EmailKind kind,
        Wave wave = Wave.ThreeMonths,
        ClinicDetails? clinic = null
    ) =>
        InvitationEmail.Render(
            new InvitationContent(kind, wave, language, Survey, OptOut, new DateOnly(2025, 10, 3)),
            clinic ?? Clinic
        );

    public static TheoryData<Language, string, Wave> Every()
    {
        var data = new TheoryData<Language, string, Wave>();
        var kinds = new[] { "invitation", "reminder1", "reminder2", "reminder9" };
        foreach (
            var (language, kind, wave) in Enum.GetValues<Language>()
                .SelectMany(l => kinds.SelectMany(k => Waves.All.Select(w => (l, k, w))))
        )
        {
            data.Add(language, kind, wave);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Every_language_kind_and_wave_has_both_links_in_both_bodies(
        Language language,
        string kindCode,
        Wave wave
    )
    {
        Assert.True(EmailKind.TryParse(kindCode, out var kind));

        var email = Render(language, kind, wave);

        Assert.Equal([Survey, OptOut], email.Links);
        foreach (var body in new[] { email.Text, email.Html })
        {
            Assert.Contains(Survey.AbsoluteUri, body, StringComparison.Ordinal);
            Assert.Contains(OptOut.AbsoluteUri, body, StringComparison.Ordinal);
        }
        Assert.Contains($"href=\"{Survey.AbsoluteUri}\"", email.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{OptOut.AbsoluteUri}\"", email.Html, StringComparison.Ordinal);
        // The survey link comes first in both bodies.
        Assert.True(
            email.Text.IndexOf(Survey.AbsoluteUri, StringComparison.Ordinal)
                < email.Text.IndexOf(OptOut.AbsoluteUri, StringComparison.Ordinal)
        );
        Assert.DoesNotContain('\n', email.Subject);
        Assert.Contains("Klinik Nord", email.Subject, StringComparison.Ordinal);
        Assert.Contains("+45 70 00 00 00", email.Text, StringComparison.Ordinal);
        Assert.Contains("pvp@example.dk", email.Text, StringComparison.Ordinal);
        Assert.Contains(
            $"<html lang=\"{(language == Language.Da ? "da" : "en")}\">",
            email.Html,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Danish_invitation_and_reminder_in_plain_words()
    {
        var invitation = Render(Language.Da, EmailKind.Invitation);
        var reminder = Render(Language.Da, EmailKind.ReminderNumber(1));

        Assert.Equal("Hvordan har du det? Et spørgeskema fra Klinik Nord", invitation.Subject);
        Assert.Equal("Påmindelse: Hvordan har du det? Et spørgeskema fra Klinik Nord", reminder.Subject);
        Assert.Contains(
            "omkring tre måneder siden din behandling på Klinik Nord",
            invitation.Text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Du kan svare til og med fredag den 3. oktober 2025.",
            invitation.Text,
            StringComparison.Ordinal
        );
        Assert.Contains("Det er frivilligt at svare.", invitation.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("har ikke fået dine svar", invitation.Text, StringComparison.Ordinal);
        Assert.Contains("har ikke fået dine svar", reminder.Text, StringComparison.Ordinal);
        Assert.Contains("Har du allerede svaret, så tak.", reminder.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void English_invitation_and_reminder_in_plain_words()
    {
        var invitation = Render(Language.En, EmailKind.Invitation, Wave.OneYear);
        var reminder = Render(Language.En, EmailKind.ReminderNumber(2), Wave.Baseline);

        Assert.Equal("How are you? A questionnaire from Klinik Nord", invitation.Subject);
        Assert.Equal("Reminder: How are you? A questionnaire from Klinik Nord", reminder.Subject);
        Assert.Contains("about a year since your treatment at Klinik Nord", invitation.Text, StringComparison.Ordinal);
        Assert.Contains("around the time of your treatment at Klinik Nord", reminder.Text, StringComparison.Ordinal);
        Assert.Contains("up to and including Friday 3 October 2025.", invitation.Text, StringComparison.Ordinal);
        Assert.Contains("If you have already answered, thank you.", reminder.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_clinic_name_is_html_encoded_everywhere_in_the_html()
    {
        const string Hostile = "<script>alert('x')</script> & \"Co\"";
        var email = Render(
            Language.En,
            EmailKind.Invitation,
            clinic: Clinic with
            {
                Name = Hostile,
                Phone = "<b>1</b>",
            }
        );

        Assert.DoesNotContain("<script", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", email.Html, StringComparison.Ordinal);
        Assert.Contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;",
            email.Html,
            StringComparison.Ordinal
        );
        Assert.Contains("&lt;b&gt;1&lt;/b&gt;", email.Html, StringComparison.Ordinal);
        // Subject and plain text are not HTML: they carry the name as it is.
        Assert.Contains(Hostile, email.Subject, StringComparison.Ordinal);
        Assert.Contains(Hostile, email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_break_in_a_setting_cannot_break_the_subject()
    {
        var email = Render(
            Language.Da,
            EmailKind.Invitation,
            clinic: Clinic with
            {
                Name = "Klinik\r\nBcc: x@example.com",
            }
        );

        Assert.Equal("Hvordan har du det? Et spørgeskema fra Klinik Bcc: x@example.com", email.Subject);
    }

    [Fact]
    public void The_html_is_simple_large_type_with_inline_css_only()
    {
        var html = Render(Language.Da, EmailKind.Invitation).Html;

        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("font-size:20px", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        // Every http(s) URL in the HTML is one of the two links.
        var urls = Regex.Matches(html, "https?://[^\"<\\s]+").Select(m => m.Value).Distinct().Order();
        Assert.Equal(new[] { Survey.AbsoluteUri, OptOut.AbsoluteUri }.Order(), urls);
    }

    [Theory]
    [InlineData(Language.Da)]
    [InlineData(Language.En)]
    public void Nothing_about_health_is_said(Language language)
    {
        var bodies = Waves
            .All.SelectMany(w =>
                new[] { EmailKind.Invitation, EmailKind.ReminderNumber(1) }.Select(k => Render(language, k, w))
            )
            .SelectMany(e => new[] { e.Subject, e.Text, Regex.Replace(e.Html, "<[^>]*>", " ") }); // the HTML as read, not its CSS
        string[] words =
        [
            "vertebro",
            "ryg",
            "back",
            "spine",
            "rygsøjle",
            "knogle",
            "bone",
            "brud",
            "fracture",
            "kræft",
            "cancer",
            "tumor",
            "myelom",
            "myeloma",
            "smerte",
            "pain",
            "diagnos",
            "score",
            "eq-5d",
            "odi",
            "operation",
            "surgery",
            "cement",
            "hospital",
            "sygdom",
            "illness",
            "disease",
        ];
        foreach (var body in bodies)
        {
            foreach (var word in words)
                Assert.DoesNotMatch(new Regex($@"\b{Regex.Escape(word)}", RegexOptions.IgnoreCase), body);
        }
    }

    [Fact]
    public void Without_phone_and_email_the_help_line_is_left_out_and_without_a_name_the_clinic_is_named_plainly()
    {
        var email = Render(Language.Da, EmailKind.Invitation, clinic: new ClinicDetails("", "", ""));

        Assert.Equal("Hvordan har du det? Et spørgeskema fra klinikken", email.Subject);
        Assert.DoesNotContain("ringe til os", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("skrive til", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_that_is_not_http_is_refused()
    {
        var content = new InvitationContent(
            EmailKind.Invitation,
            Wave.Baseline,
            Language.Da,
            new Uri("javascript:alert(1)"),
            OptOut,
            new DateOnly(2025, 10, 3)
        );

        Assert.Throws<ArgumentException>(() => InvitationEmail.Render(content, Clinic));
    }

    [Theory]
    [InlineData("invitation", 0)]
    [InlineData("reminder1", 1)]
    [InlineData("reminder9", 9)]
    public void Kinds_round_trip_through_their_codes(string code, int reminder)
    {
        Assert.True(EmailKind.TryParse(code, out var kind));
        Assert.Equal((reminder, code), (kind.Reminder, kind.Code));
    }

    [Theory]
    [InlineData("reminder0")]
    [InlineData("reminder10")]
    [InlineData("Invitation")]
    [InlineData(null)]
    public void Unknown_kind_codes_are_refused(string? code) => Assert.False(EmailKind.TryParse(code, out _));
}
