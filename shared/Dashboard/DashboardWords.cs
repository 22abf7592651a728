using System.Globalization;
using PvpServerless.Coordination;

namespace PvpServerless.Dashboard;

/// <summary>
/// Words for the codes that stored rows hold, in one language: what happened (an audit line's action), who did it (the
/// actor's role), an e-mail's kind and state, a wave's status and name. Each code's words stand side by side in both
/// languages below. A code without words shows as itself; DashboardWordsTests reads the codes the code writes and
/// fails on any without words in either language (docs/coordination.md, "Dashboard").
/// </summary>
public sealed record DashboardWords(
    IReadOnlyDictionary<string, string> Actions,
    IReadOnlyDictionary<string, string> Roles,
    IReadOnlyDictionary<string, string> Email,
    IReadOnlyDictionary<string, string> Statuses,
    IReadOnlyDictionary<string, string> WaveNames,
    IReadOnlyDictionary<string, string> Languages
)
{
    /// <summary>An audit line's action in words, e.g. <c>emailQueued</c> → "E-mail queued".</summary>
    public string Action(string code) => Actions.GetValueOrDefault(code, code);

    /// <summary>An actor (<c>role</c> or <c>role:person</c>) in words: <c>coordinator:AB</c> is "Coordinator AB".
    /// </summary>
    public string Actor(string actor)
    {
        var colon = actor.IndexOf(':', StringComparison.Ordinal);
        var role = colon < 0 ? actor : actor[..colon];
        var name = Roles.GetValueOrDefault(role, role);
        return colon < 0 ? name : name + " " + actor[(colon + 1)..];
    }

    /// <summary>
    /// An e-mail's kind, state and SendGrid's word on it, e.g. "Reminder 2 · sent · delivered"; the provider's own
    /// failure text as it came (it is not ours to translate).
    /// </summary>
    public string Of(LastEmail? e)
    {
        if (e is null)
            return "";
        var parts = new List<string>();
        if (e.Kind is { } kind)
            parts.Add(Kind(kind));
        foreach (var code in new[] { e.Status, e.DeliveryState })
        {
            if (!string.IsNullOrEmpty(code))
                parts.Add(Email.GetValueOrDefault(code, code));
        }
        if (!string.IsNullOrEmpty(e.FailureReason))
            parts.Add(e.FailureReason);
        return string.Join(" · ", parts);
    }

    /// <summary><c>invitation</c>, or <c>reminder{n}</c> as the reminder's word and number.</summary>
    private string Kind(string kind)
    {
        const string reminder = "reminder";
        return
            kind.StartsWith(reminder, StringComparison.Ordinal)
            && int.TryParse(kind.AsSpan(reminder.Length), CultureInfo.InvariantCulture, out var n)
            ? Email[reminder] + " " + n.ToString(CultureInfo.InvariantCulture)
            : Email.GetValueOrDefault(kind, kind);
    }

    // An audit line's action (every one the code writes: DashboardWordsTests). Code, English, Danish.
    private static readonly (string Code, string En, string Da)[] ActionsWords =
    [
        ("enrolled", "Enrolled", "Inkluderet"),
        ("seeded", "Loaded as test data", "Indlæst som testdata"),
        ("enrolmentRolledBack", "Unfinished enrolment abandoned", "Ufærdig inklusion opgivet"),
        ("emailQueued", "E-mail queued", "E-mail sat i kø"),
        ("emailRequeued", "E-mail queued again", "E-mail sat i kø igen"),
        ("emailClaimed", "E-mail being sent", "E-mail under afsendelse"),
        ("emailCancelled", "E-mail cancelled", "E-mail annulleret"),
        ("emailDeferred", "E-mail delayed by the provider", "E-mail forsinket af udbyderen"),
        ("emailFailed", "E-mail refused by the provider", "E-mail afvist af udbyderen"),
        ("invitationSent", "Invitation sent", "Invitation sendt"),
        ("reminderSent", "Reminder sent", "Påmindelse sendt"),
        ("deliveryRecorded", "Delivery reported", "Levering meldt"),
        ("emailUndeliverable", "E-mail could not be delivered", "E-mail kunne ikke leveres"),
        ("waveSkipped", "Wave skipped", "Runde sprunget over"),
        ("waveExpired", "Window closed without an answer", "Vindue lukket uden svar"),
        ("waveResumed", "Wave resumed", "Runde genoptaget"),
        ("response", "Response stored", "Besvarelse gemt"),
        ("responseCorrected", "Response corrected", "Besvarelse rettet"),
        ("answeredAtCorrected", "Time of the answer corrected", "Svartidspunkt rettet"),
        ("invitationResent", "Invitation sent again", "Invitation sendt igen"),
        ("windowChanged", "Window moved", "Vindue flyttet"),
        ("death", "Death recorded", "Dødsfald registreret"),
        ("withdrawal", "Withdrawal recorded", "Udtræden registreret"),
        ("leakageAssessment", "X-ray leakage assessed", "Røntgen: lækage vurderet"),
        ("complication", "Complication recorded", "Komplikation registreret"),
        ("dateCorrected", "Date corrected", "Dato rettet"),
        ("contactChange", "Contact changed", "Kontakt ændret"),
        ("optedOut", "Opted out of e-mail", "Afmeldt e-mail"),
        ("optedIn", "Opted back in to e-mail", "Tilmeldt e-mail igen"),
    ];

    // Who did it: the actor's role (the part before :person). Code, English, Danish.
    private static readonly (string Code, string En, string Da)[] RolesWords =
    [
        ("coordinator", "Coordinator", "Koordinator"),
        ("scheduler", "Scheduler", "Planlægger"),
        ("sender", "Sender", "Afsender"),
        ("sendgrid", "SendGrid", "SendGrid"),
        ("patient", "Patient", "Patient"),
        ("seed", "Test data", "Testdata"),
        ("benchmark", "Benchmark", "Benchmark"),
    ];

    // An e-mail's kind (reminder{n} is the reminder's word and n), state and SendGrid's word. Code, English, Danish.
    private static readonly (string Code, string En, string Da)[] EmailWords =
    [
        ("invitation", "Invitation", "Invitation"),
        ("reminder", "Reminder", "Påmindelse"),
        ("queued", "queued", "i kø"),
        ("sending", "sending", "sendes"),
        ("sent", "sent", "sendt"),
        ("delivered", "delivered", "leveret"),
        ("deferred", "delayed", "forsinket"),
        ("bounce", "bounced", "afvist"),
        ("dropped", "dropped", "droppet"),
        ("spamreport", "reported as spam", "meldt som spam"),
    ];

    // A wave's status, overdue, and the reasons a wave is skipped for. Code, English, Danish.
    private static readonly (string Code, string En, string Da)[] StatusesWords =
    [
        ("scheduled", "Scheduled", "Planlagt"),
        ("invited", "Invited", "Inviteret"),
        ("reminded", "Reminded", "Påmindet"),
        ("answered", "Answered", "Besvaret"),
        ("overdue", "Overdue", "Mangler svar"),
        ("expired", "Expired", "Udløbet"),
        ("undeliverable", "Undeliverable", "Ikke leveret"),
        ("failed", "Failed", "Fejlet"),
        ("skipped", "Skipped", "Sprunget over"),
        ("optedOut", "Opted out", "Afmeldt"),
        ("dead", "Died", "Død"),
        ("withdrawn", "Withdrew", "Udtrådt"),
        ("noEmail", "No e-mail", "Ingen e-mail"),
    ];

    // The waves. Code, English, Danish.
    private static readonly (string Code, string En, string Da)[] WaveNamesWords =
    [
        ("baseline", "Baseline", "Baseline"),
        ("3m", "3 months", "3 måneder"),
        ("1y", "1 year", "1 år"),
    ];

    // A patient's language, as the contact shows it. Code, English, Danish.
    private static readonly (string Code, string En, string Da)[] LanguagesWords =
    [
        ("da", "Danish", "dansk"),
        ("en", "English", "engelsk"),
    ];

    public static readonly DashboardWords English = In(w => w.En);

    public static readonly DashboardWords Danish = In(w => w.Da);

    private static DashboardWords In(Func<(string Code, string En, string Da), string> language)
    {
        Dictionary<string, string> Pick(IEnumerable<(string Code, string En, string Da)> words) =>
            words.ToDictionary(w => w.Code, language, StringComparer.Ordinal);
        return new(
            Pick(ActionsWords),
            Pick(RolesWords),
            Pick(EmailWords),
            Pick(StatusesWords),
            Pick(WaveNamesWords),
            Pick(LanguagesWords)
        );
    }
}
