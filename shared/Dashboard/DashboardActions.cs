using System.Globalization;
using PvpServerless.Coordination;
using PvpServerless.Coordination.Actions;
using PvpServerless.Patients;
using PvpServerless.Web;

namespace PvpServerless.Dashboard;

/// <summary>
/// The dashboard's buttons: each form names an action, checked against cross-site posts (our origin, and the
/// session's check field), then handed to the same service as its API route with the signed-in coordinator as
/// actor. Done: 303 back to the page it came from with a notice; refused: a page naming the field.
/// </summary>
public sealed class DashboardActions(
    DashboardAccess access,
    SessionCookie sessions,
    DashboardPages pages,
    InvitationResend resend,
    WindowChange window,
    OptOutChange optOut,
    PatientEventService events,
    ResponseCorrection correction,
    Microsoft.Extensions.Options.IOptions<Email.ClinicContactOptions> clinic
)
{
    public const string CheckField = "check";
    public const string Resend = "resend";
    public const string Window = "window";
    public const string Death = "death";
    public const string Withdrawal = "withdrawal";
    public const string OptOut = "optOut";
    public const string OptIn = "optIn";
    public const string CorrectResponse = "correctResponse";

    /// <summary>The largest form: a response correction is about 30 short fields.</summary>
    public const int MaxBodyBytes = 8192;

    private static readonly string[] Fields =
    [
        CheckField,
        "action",
        "studyId",
        "wave",
        "return",
        "lang",
        "closesOn",
        "date",
        "eq5d-mobility",
        "eq5d-selfCare",
        "eq5d-usualActivities",
        "eq5d-pain",
        "eq5d-anxiety",
        "eq5d-vas",
        .. Enumerable.Range(1, 10).Select(i => $"odi-{i}"),
    ];

    private readonly Uri? _publicBaseUrl = Uri.TryCreate(clinic.Value.PublicBaseUrl, UriKind.Absolute, out var u)
        ? u
        : null;

    public async Task<DashboardAnswer> PostAsync(DashboardPost post, CancellationToken cancellationToken)
    {
        var t = DashboardText.Of(post.Request.Language);
        if (access.Resolve(post.Request) is not { } viewer)
            return pages.NotSignedIn(post.Request);
        var own = Origins.IsOwn(post.Origin, post.FetchSite, post.Request.Url, _publicBaseUrl);
        if (own && !UrlEncodedForm.IsForm(post.ContentType))
            return pages.Problem(415, t, viewer, "Content-Type", "Send the page's form: " + UrlEncodedForm.MediaType);
        if (
            !own
            || !UrlEncodedForm.TryParse(post.Body.Span, post.ContentType, Fields, out var form)
            || !sessions.IsCheckOf(viewer.Binding, form.GetValueOrDefault(CheckField))
        )
            return pages.Problem(403, t, viewer, CheckField, "Not a form of this dashboard page, or a stale one.");
        var back = form.GetValueOrDefault("return");
        if (!DashboardRoutes.IsOwnPage(back))
            return pages.Problem(400, t, viewer, "return", "Not a page of this dashboard.");
        var studyId = form.GetValueOrDefault("studyId") ?? "";
        var outcome = await RunAsync(form, studyId, viewer.Actor, cancellationToken);
        if (outcome is ActionOutcome.Done done)
            return DashboardAnswer.SeeOther(WithNotice(back!, done.Changed ? "done" : "unchanged"));
        return pages.Refused(outcome, t, viewer, back!);
    }

    private static string WithNotice(string back, string notice) =>
        back + (back.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "notice=" + notice;

    private async Task<ActionOutcome> RunAsync(
        IReadOnlyDictionary<string, string> form,
        string studyId,
        Actor actor,
        CancellationToken ct
    )
    {
        var wave = form.GetValueOrDefault("wave") ?? "";
        string? Value(string name) => form.GetValueOrDefault(name) is { Length: > 0 } v ? v : null;
        return form.GetValueOrDefault("action") switch
        {
            Resend => await resend.ResendAsync(studyId, wave, new ResendRequest(null, Value("closesOn")), actor, ct),
            Window => await window.ChangeAsync(studyId, wave, new WindowRequest(Value("closesOn")), actor, ct),
            Death or Withdrawal => await EventAsync(studyId, form["action"], Value("date"), actor, ct),
            OptOut => await optOut.OptOutAsync(studyId, actor, ct),
            OptIn => await optOut.OptInAsync(studyId, actor, ct),
            CorrectResponse => await CorrectAsync(form, studyId, wave, actor, ct),
            _ => ActionOutcome.Bad("action", "Not an action of this dashboard."),
        };
    }

    private async Task<ActionOutcome> EventAsync(
        string studyId,
        string type,
        string? date,
        Actor actor,
        CancellationToken ct
    )
    {
        var request = new PatientEventRequest(type, null, date, null, null, null, null, null);
        return await events.RecordAsync(studyId, request, actor, ct) switch
        {
            EventResult.Applied => new ActionOutcome.Done(type, Changed: true),
            EventResult.AlreadyApplied => new ActionOutcome.Done(type, Changed: false),
            EventResult.Invalid i => new ActionOutcome.Invalid(i.Errors),
            EventResult.NotFound n => new ActionOutcome.NotFound($"No patient with study id {n.StudyId}."),
            EventResult.Conflict c => new ActionOutcome.Conflict(c.Field, c.Message),
            EventResult.Busy b => new ActionOutcome.Busy(b.RetryAfter),
            _ => throw new InvalidOperationException("Unknown event result."),
        };
    }

    /// <summary>
    /// A correction of the answers only: the form has no completedAt, the stored one is kept (moving it is the API's,
    /// docs/coordination.md, "Dashboard").
    /// </summary>
    private async Task<ActionOutcome> CorrectAsync(
        IReadOnlyDictionary<string, string> form,
        string studyId,
        string wave,
        Actor actor,
        CancellationToken ct
    )
    {
        var read = await correction.ReadAsync(studyId, wave, ct);
        if (read is not ActionOutcome.Done { Answer: StoredResponse stored } done)
            return read;
        var completedAt = stored.Response.CompletedAt.ToString("O", CultureInfo.InvariantCulture);
        var errors = new FieldErrors();
        var request = Response(form, completedAt, errors);
        return errors.IsEmpty
            // Guarded by the row as read: a change in between (a completedAt moved by the API) is not undone.
            ? await correction.CorrectAsync(studyId, wave, request, done.ETag, actor, ct)
            : new ActionOutcome.Invalid(errors.ToDictionary());
    }

    /// <summary>The correction form as the API's body: an empty field is an unanswered item.</summary>
    private static ResponseCorrectionRequest Response(
        IReadOnlyDictionary<string, string> form,
        string completedAt,
        FieldErrors errors
    )
    {
        int? Number(string name)
        {
            if (form.GetValueOrDefault(name) is not { Length: > 0 } text)
                return null;
            if (WholeNumber.TryParse(text, out var n))
                return n;
            errors.Add(name, "A whole number, or empty for no answer.");
            return null;
        }
        var eq5d = new Dictionary<string, int?>
        {
            ["mobility"] = Number("eq5d-mobility"),
            ["selfCare"] = Number("eq5d-selfCare"),
            ["usualActivities"] = Number("eq5d-usualActivities"),
            ["pain"] = Number("eq5d-pain"),
            ["anxiety"] = Number("eq5d-anxiety"),
            ["vas"] = Number("eq5d-vas"),
        };
        int?[] odi = [.. Enumerable.Range(1, 10).Select(i => Number($"odi-{i}"))];
        return new ResponseCorrectionRequest(
            completedAt,
            eq5d.Values.Any(v => v is not null) ? eq5d : null,
            odi.Any(v => v is not null) ? odi : null
        );
    }
}
