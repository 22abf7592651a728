using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using PvpServerless.Coordination;
using PvpServerless.Dashboard;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Repository;
using PatientPage = PvpServerless.Dashboard.PatientPage;

namespace PvpServerless.Tests.Dashboard;

/// <summary>
/// The coordinator reads words, never codes, in both languages: every audit action the code writes (read from the
/// source by <see cref="AuditActionScan"/>, not from a list kept by hand), every actor's role, every e-mail kind and
/// state, every status and skip reason has words in English and in Danish, and the patient's page shows them.
/// </summary>
public sealed partial class DashboardWordsTests
{
    private static readonly DashboardText[] Languages = [DashboardText.English, DashboardText.Danish];

    private static string Missing(
        IEnumerable<string> codes,
        Func<DashboardText, IReadOnlyDictionary<string, string>> of
    )
    {
        var missing = codes.SelectMany(c => Languages.Where(t => !of(t).ContainsKey(c)).Select(t => $"{c} ({t.Code})"));
        return string.Join(", ", missing);
    }

    [Fact]
    public void Every_action_the_code_writes_has_words_in_both_languages()
    {
        var (actions, unread) = AuditActionScan.Read(AzuriteFixture.RepoRoot);

        Assert.True(
            unread.Count == 0,
            "Audit actions the scan cannot read (teach AuditActionScan):\n" + string.Join("\n", unread)
        );
        // The scan finds what a patient's page showed before words (a screenshot of 2026-11-30), so it reads at all.
        Assert.Superset(
            new SortedSet<string> { "enrolled", "emailQueued", "emailClaimed", "invitationSent", "response" },
            actions
        );
        Assert.Equal("", Missing(actions, t => t.Words.Actions));
        // And no words for an action nothing writes (a renamed one would keep its old words).
        Assert.Equal("", string.Join(", ", Languages.SelectMany(t => t.Words.Actions.Keys).Except(actions)));
    }

    [Fact]
    public void Every_role_that_changes_a_patient_has_words_in_both_languages()
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        // The services' own actors (the scheduler, the sender, SendGrid, the patient) ...
        foreach (var type in typeof(PvpStorage).Assembly.GetTypes())
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            {
                if (field.FieldType == typeof(Actor) && field.GetValue(null) is Actor actor)
                    roles.Add(actor.Key);
            }
        }
        // ... and the roles named in code: new Actor("seed"), ReadActor("coordinator").
        foreach (var root in new[] { "shared", "functions", "tools" })
        {
            foreach (var file in LineLengthTests.CSharpFiles(Path.Combine(AzuriteFixture.RepoRoot, root)))
            {
                foreach (Match m in NamedRole().Matches(File.ReadAllText(file)))
                    roles.Add(m.Groups["role"].Value);
            }
        }

        Assert.Superset(new SortedSet<string> { "coordinator", "scheduler", "sender", "patient" }, roles);
        Assert.Equal("", Missing(roles, t => t.Words.Roles));
        Assert.Equal("Coordinator AB", DashboardText.English.Words.Actor("coordinator:AB"));
        Assert.Equal("Koordinator AB", DashboardText.Danish.Words.Actor("coordinator:AB"));
        Assert.Equal("Planlægger", DashboardText.Danish.Words.Actor("scheduler"));
    }

    [Fact]
    public void Every_email_kind_and_state_has_words_in_both_languages()
    {
        var codes = Enum.GetValues<EmailStatus>()
            .Where(s => s != EmailStatus.None)
            .Select(s => Codes.Of(s))
            .Concat(Enum.GetValues<EmailEventType>().Select(DeliveryChange.Code))
            .Append(FollowUpRules.KindCode(0))
            .Append("reminder");

        Assert.Equal("", Missing(codes, t => t.Words.Email));
        var bounced = new LastEmail(FollowUpRules.KindCode(2), "sent", null, "bounce", null, null);
        Assert.Equal("Reminder 2 · sent · bounced", DashboardText.English.Words.Of(bounced));
        Assert.Equal("Påmindelse 2 · sendt · afvist", DashboardText.Danish.Words.Of(bounced));
        var refused = new LastEmail("invitation", null, null, null, null, "550 mailbox unavailable");
        Assert.Equal("Invitation · 550 mailbox unavailable", DashboardText.Danish.Words.Of(refused));
    }

    [Fact]
    public void Every_status_skip_reason_and_language_has_words_in_both_languages()
    {
        var codes = FollowUpQueries.Statuses.Concat(FollowUpSummaryService.SkipReasons).Append("optedOut");

        Assert.Equal("", Missing(codes, t => t.Words.Statuses));
        Assert.Equal("", Missing(Enum.GetValues<Language>().Select(l => Codes.Of(l)), t => t.Words.Languages));
    }

    [Fact]
    public void The_patients_history_shows_what_happened_and_who_did_it_in_words()
    {
        var at = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
        var none = JsonSerializer.SerializeToElement(new { });
        var patient = new PatientTimeline(
            "PVP-0001",
            new DateOnly(2026, 11, 29),
            at,
            null,
            null,
            null,
            new TimelineContact("pvp-0001@example.dk", "da"),
            [],
            [
                new TimelineEntry(at, "scheduler", "emailQueued", "baseline", none, null),
                new TimelineEntry(at, "coordinator:AB", "windowChanged", "baseline", none, null),
            ]
        );

        var english = PatientPage.Render(patient, [], Form(DashboardText.English));
        var danish = PatientPage.Render(patient, [], Form(DashboardText.Danish));

        Assert.Contains("<td>Scheduler</td><td>E-mail queued</td>", english);
        Assert.Contains("<td>Coordinator AB</td><td>Window moved</td>", english);
        Assert.Contains("<td>Planlægger</td><td>E-mail sat i kø</td>", danish);
        Assert.Contains("<td>Koordinator AB</td><td>Vindue flyttet</td>", danish);
        Assert.Contains("pvp-0001@example.dk (Danish)", english);
        Assert.Contains("pvp-0001@example.dk (dansk)", danish);
    }

    private static FormContext Form(DashboardText t) => new("check", "/api/dashboard", t, new DateOnly(2026, 11, 30));

    [GeneratedRegex(@"\b(?:new Actor|ReadActor)\(\s*""(?<role>[a-z]+)""")]
    private static partial Regex NamedRole();
}
