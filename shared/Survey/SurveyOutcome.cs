using PvpServerless.Domain;
using PvpServerless.Questionnaires;

namespace PvpServerless.Survey;

/// <summary>What a survey link leads to; each outcome is one page in <see cref="Language"/> (docs/survey.md).</summary>
public abstract record SurveyOutcome(Language Language)
{
    /// <summary>The questionnaire: 200 when shown, 422 when posted back with <see cref="SurveyForm.Errors"/>.</summary>
    public sealed record Form(Language Language, SurveyForm Page) : SurveyOutcome(Language);

    /// <summary>Stored now: the thank-you page, 200.</summary>
    public sealed record Received(Language Language) : SurveyOutcome(Language);

    /// <summary>The wave is answered already (this tab, another tab, or on paper): 410, nothing stored.</summary>
    public sealed record AlreadyReceived(Language Language) : SurveyOutcome(Language);

    /// <summary>The window closed (the link's last day passed, or the wave expired): 410.</summary>
    public sealed record Closed(Language Language) : SurveyOutcome(Language);

    /// <summary>The link was revoked, or the patient's record ended (death, withdrawal): 410.</summary>
    public sealed record Gone(Language Language) : SurveyOutcome(Language);

    /// <summary>A malformed or unknown link: 404.</summary>
    public sealed record NotFound(Language Language) : SurveyOutcome(Language);

    /// <summary>A post without our check, with a wrong one, or from another site: 403, nothing changed.</summary>
    public sealed record Forbidden(Language Language) : SurveyOutcome(Language);

    /// <summary>The body is not our form (another media type, a field we never send, a field twice): 400.</summary>
    public sealed record NotAForm(Language Language) : SurveyOutcome(Language);

    /// <summary>The body is over <see cref="SurveyService.MaxBodyBytes"/>: 413, not read further.</summary>
    public sealed record TooLarge(Language Language) : SurveyOutcome(Language);

    /// <summary>
    /// Every attempt lost a race for the patient's row, or storage is away: 503, nothing changed. <c>Saving</c>: a post
    /// (its answers are not stored yet), not the page being opened.
    /// </summary>
    public sealed record Busy(Language Language, bool Saving) : SurveyOutcome(Language);
}

/// <summary>
/// The questionnaire page of one wave: the instruments in the cohort's version, the form's hidden check, the answers
/// as posted (raw text, shown again as given) and the problems found in them.
/// </summary>
public sealed record SurveyForm(
    Wave Wave,
    string Check,
    Instrument Eq5d,
    Instrument Odi,
    IReadOnlyDictionary<string, string> Answers,
    IReadOnlyList<ValidationError> Errors
)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>
/// A posted questionnaire as received: the token from the path, the language asked for, the URL it came to, the
/// browser's <c>Origin</c> and <c>Sec-Fetch-Site</c> headers and the body (at most
/// <see cref="SurveyService.MaxBodyBytes"/>).
/// </summary>
public sealed record SurveyPost(
    string? Token,
    Language? Requested,
    Uri RequestUrl,
    string? Origin,
    string? FetchSite,
    string? ContentType,
    ReadOnlyMemory<byte> Body
);
