using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Questionnaires;
using PvpServerless.Storage;
using PvpServerless.Web;

namespace PvpServerless.Survey;

/// <summary>
/// The questionnaire behind an e-mail's link (docs/survey.md): shows the wave's form in the patient's language and
/// stores a complete, valid answer once, as <see cref="SurveyResponseWriter"/> writes it. Every item of the EQ-5D
/// (with the EQ VAS) and of the ODI must be answered on the web, except the items the instrument marks optional (ODI
/// section 8): the validator's <c>requireAnswers</c>. A paper form may have gaps; a web form can simply ask again.
/// </summary>
public sealed class SurveyService(
    SurveyLinkReader links,
    SurveyFormCheck checks,
    SurveyResponseWriter writer,
    FollowUp.StatusIndexBacklog backlog,
    ResponseValidator validator,
    Contention contention,
    ClinicClock clinic,
    IOptions<ClinicContactOptions> clinicOptions,
    ILogger<SurveyService> log
)
{
    /// <summary>Our form is the check and 16 short answers (under 700 bytes): 4 KiB is plenty.</summary>
    public const int MaxBodyBytes = 4096;

    private readonly Uri? _publicBaseUrl = ClinicContactOptions.ParseBaseUrl(clinicOptions.Value.PublicBaseUrl);

    /// <summary>
    /// The only fields our form sends: the check and one per item. Anything else, or a field twice, is not our form,
    /// which also bounds how many fields a post can hold.
    /// </summary>
    public IReadOnlyCollection<string> Fields { get; } =
    [
        SurveyFormCheck.Field,
        .. validator.Eq5dInstrument.Items.Select(validator.Eq5dInstrument.FieldKey),
        .. validator.OdiInstrument.Items.Select(validator.OdiInstrument.FieldKey),
    ];

    public async Task<SurveyOutcome> ShowAsync(string? token, Language? requested, CancellationToken cancellationToken)
    {
        if (await ReadAsync(token, true, cancellationToken) is not { } link)
            return new SurveyOutcome.Busy(requested ?? Language.Da, Saving: false);
        var language = requested ?? link.ContactLanguage ?? Language.Da;
        return Decide(link, language) ?? Form(link, language, new Dictionary<string, string>(), []);
    }

    public async Task<SurveyOutcome> SubmitAsync(SurveyPost post, CancellationToken cancellationToken)
    {
        var fallback = post.Requested ?? Language.Da;
        if (!SurveyToken.TryParse(post.Token, out var token))
            return new SurveyOutcome.NotFound(fallback);
        if (!IsOwnSite(post))
            return new SurveyOutcome.Forbidden(fallback);
        if (!UrlEncodedForm.TryParse(post.Body.Span, post.ContentType, Fields, out var form))
            return new SurveyOutcome.NotAForm(fallback);
        // Keyed on the token's hash: only a page of ours, shown for this very link, has it. Checked before any read,
        // so a post that lacks it learns nothing about the link.
        if (!checks.Matches(token.Hash, form.GetValueOrDefault(SurveyFormCheck.Field)))
            return new SurveyOutcome.Forbidden(fallback);
        var answers = form.Where(f => f.Key != SurveyFormCheck.Field).ToDictionary(f => f.Key, f => f.Value);
        // The index's syncs wait while posts are in flight: storage serves the patients first (docs/storage.md,
        // "Index pending").
        using var inFlight = backlog.BeginPost();
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            if (await ReadAsync(post.Token, post.Requested is null, cancellationToken) is not { } link)
                return new SurveyOutcome.Busy(fallback, Saving: true);
            var language = post.Requested ?? link.ContactLanguage ?? Language.Da;
            if (Decide(link, language) is { } closed)
                return closed;
            var parsed = validator.Parse(answers.ToDictionary(a => a.Key, string? (a) => a.Value), language, true);
            if (!parsed.IsValid)
                return Form(link, language, answers, parsed.Errors);
            try
            {
                await writer.WriteAsync(link, parsed, language, cancellationToken);
                log.LogInformation("A patient answered the {Wave} questionnaire on the web", link.Wave!.Wave.Code());
                return new SurveyOutcome.Received(language);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                // Someone else wrote the patient or the wave meanwhile (an answer in another tab, a death, the
                // scheduler): read again and decide again.
                await contention.PauseAsync(attempt, cancellationToken);
            }
            catch (Exception ex) when (Contention.IsUnavailable(ex))
            {
                // Storage is away and the SDK has retried already: the busy page now (docs/evidence.md, "Faults").
                break;
            }
        }
        return new SurveyOutcome.Busy(fallback, Saving: true);
    }

    /// <summary>
    /// The link, or null while storage is away (the SDK has retried already): 503 with Retry-After rather than 500
    /// (docs/evidence.md, "Faults").
    /// </summary>
    private async Task<SurveyLink?> ReadAsync(string? token, bool withContact, CancellationToken cancellationToken)
    {
        try
        {
            return await links.ReadAsync(token, withContact, cancellationToken);
        }
        catch (Exception ex) when (Contention.IsUnavailable(ex))
        {
            return null;
        }
    }

    /// <summary>The page for a link that is not open, or null when it is.</summary>
    private SurveyOutcome? Decide(SurveyLink link, Language language) =>
        link.StateOn(clinic.Today()) switch
        {
            SurveyLinkState.Open => null,
            SurveyLinkState.Answered => new SurveyOutcome.AlreadyReceived(language),
            SurveyLinkState.Closed => new SurveyOutcome.Closed(language),
            SurveyLinkState.Gone => new SurveyOutcome.Gone(language),
            _ => new SurveyOutcome.NotFound(language),
        };

    private SurveyOutcome.Form Form(
        SurveyLink link,
        Language language,
        IReadOnlyDictionary<string, string> answers,
        IReadOnlyList<ValidationError> errors
    ) =>
        new(
            language,
            new SurveyForm(
                link.Wave!.Wave,
                checks.Of(link.Token!.Hash),
                validator.Eq5dInstrument,
                validator.OdiInstrument,
                answers,
                errors
            )
        );

    // A browser says where a post comes from (docs/survey.md, "Cross-site posts"); one that sends neither header
    // still needs the check field.
    private bool IsOwnSite(SurveyPost post) =>
        Origins.IsOwn(post.Origin, post.FetchSite, post.RequestUrl, _publicBaseUrl);
}
