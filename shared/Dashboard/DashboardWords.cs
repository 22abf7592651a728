using System.Globalization;
using PvpServerless.Coordination;

namespace PvpServerless.Dashboard;

/// <summary>
/// Words for the codes that stored rows hold, in one language: what happened (an audit line's action), who did it (the
/// actor's role) and an e-mail's kind and state. A code without words shows as itself; DashboardWordsTests reads the
/// codes the code writes and fails on any without words in either language (docs/coordination.md, "Dashboard").
/// </summary>
public sealed record DashboardWords(
    IReadOnlyDictionary<string, string> Actions,
    IReadOnlyDictionary<string, string> Roles,
    IReadOnlyDictionary<string, string> Email
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

    public static readonly DashboardWords English = new(
        new Dictionary<string, string>
        {
            ["enrolled"] = "Enrolled",
            ["seeded"] = "Loaded as test data",
            ["enrolmentRolledBack"] = "Unfinished enrolment abandoned",
            ["emailQueued"] = "E-mail queued",
            ["emailRequeued"] = "E-mail queued again",
            ["emailClaimed"] = "E-mail being sent",
            ["emailCancelled"] = "E-mail cancelled",
            ["emailDeferred"] = "E-mail delayed by the provider",
            ["emailFailed"] = "E-mail refused by the provider",
            ["invitationSent"] = "Invitation sent",
            ["reminderSent"] = "Reminder sent",
            ["deliveryRecorded"] = "Delivery reported",
            ["emailUndeliverable"] = "E-mail could not be delivered",
            ["waveSkipped"] = "Wave skipped",
            ["waveExpired"] = "Window closed without an answer",
            ["waveResumed"] = "Wave resumed",
            ["response"] = "Response stored",
            ["responseCorrected"] = "Response corrected",
            ["answeredAtCorrected"] = "Time of the answer corrected",
            ["invitationResent"] = "Invitation sent again",
            ["windowChanged"] = "Window moved",
            ["death"] = "Death recorded",
            ["withdrawal"] = "Withdrawal recorded",
            ["leakageAssessment"] = "X-ray leakage assessed",
            ["complication"] = "Complication recorded",
            ["dateCorrected"] = "Date corrected",
            ["contactChange"] = "Contact changed",
            ["optedOut"] = "Opted out of e-mail",
            ["optedIn"] = "Opted back in to e-mail",
        },
        new Dictionary<string, string>
        {
            ["coordinator"] = "Coordinator",
            ["scheduler"] = "Scheduler",
            ["sender"] = "E-mail sender",
            ["sendgrid"] = "SendGrid",
            ["patient"] = "Patient",
            ["seed"] = "Test data",
            ["benchmark"] = "Benchmark",
        },
        new Dictionary<string, string>
        {
            ["invitation"] = "Invitation",
            ["reminder"] = "Reminder",
            ["queued"] = "queued",
            ["sending"] = "sending",
            ["sent"] = "sent",
            ["delivered"] = "delivered",
            ["deferred"] = "delayed",
            ["bounce"] = "bounced",
            ["dropped"] = "dropped",
            ["spamreport"] = "reported as spam",
        }
    );

    public static readonly DashboardWords Danish = new(
        new Dictionary<string, string>
        {
            ["enrolled"] = "Inkluderet",
            ["seeded"] = "Indlæst som testdata",
            ["enrolmentRolledBack"] = "Ufærdig inklusion opgivet",
            ["emailQueued"] = "E-mail sat i kø",
            ["emailRequeued"] = "E-mail sat i kø igen",
            ["emailClaimed"] = "E-mail under afsendelse",
            ["emailCancelled"] = "E-mail annulleret",
            ["emailDeferred"] = "E-mail forsinket af udbyderen",
            ["emailFailed"] = "E-mail afvist af udbyderen",
            ["invitationSent"] = "Invitation sendt",
            ["reminderSent"] = "Påmindelse sendt",
            ["deliveryRecorded"] = "Levering meldt",
            ["emailUndeliverable"] = "E-mail kunne ikke leveres",
            ["waveSkipped"] = "Runde sprunget over",
            ["waveExpired"] = "Vindue lukket uden svar",
            ["waveResumed"] = "Runde genoptaget",
            ["response"] = "Besvarelse gemt",
            ["responseCorrected"] = "Besvarelse rettet",
            ["answeredAtCorrected"] = "Svartidspunkt rettet",
            ["invitationResent"] = "Invitation sendt igen",
            ["windowChanged"] = "Vindue flyttet",
            ["death"] = "Dødsfald registreret",
            ["withdrawal"] = "Udtræden registreret",
            ["leakageAssessment"] = "Røntgen: lækage vurderet",
            ["complication"] = "Komplikation registreret",
            ["dateCorrected"] = "Dato rettet",
            ["contactChange"] = "Kontakt ændret",
            ["optedOut"] = "Afmeldt e-mail",
            ["optedIn"] = "Tilmeldt e-mail igen",
        },
        new Dictionary<string, string>
        {
            ["coordinator"] = "Koordinator",
            ["scheduler"] = "Planlægger",
            ["sender"] = "E-mail-afsender",
            ["sendgrid"] = "SendGrid",
            ["patient"] = "Patient",
            ["seed"] = "Testdata",
            ["benchmark"] = "Benchmark",
        },
        new Dictionary<string, string>
        {
            ["invitation"] = "Invitation",
            ["reminder"] = "Påmindelse",
            ["queued"] = "i kø",
            ["sending"] = "sendes",
            ["sent"] = "sendt",
            ["delivered"] = "leveret",
            ["deferred"] = "forsinket",
            ["bounce"] = "afvist",
            ["dropped"] = "droppet",
            ["spamreport"] = "meldt som spam",
        }
    );
}
