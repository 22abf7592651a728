using System.Text;
using PvpServerless.Coordination;
using PvpServerless.Coordination.Actions;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Reports.Bundle;
using PvpServerless.Reports.Nightly;
using PvpServerless.Storage;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>The list page's query, as the request has it.</summary>
public sealed record ListQuery(string? Wave, string? Status, string? Reason, string? ContinuationToken);

/// <summary>
/// The dashboard's pages: who is signed in first (401 page otherwise), then the same services as the coordinator API
/// (summary, list, timeline, report store), rendered. Counts never come from anywhere but the summary, and lists
/// never from anywhere but the list service, so a tile and its list agree as the API's do.
/// </summary>
public sealed class DashboardPages(
    DashboardAccess access,
    SessionCookie sessions,
    FollowUpSummaryService summary,
    FollowUpListService list,
    PatientTimelineService timeline,
    ResponseCorrection responses,
    ReportStore reports,
    ClinicClock clinic
)
{
    public const int PageSize = 50;

    /// <summary>Who is looking, in which language, and the notice to show: what every page is rendered for.</summary>
    private sealed record Seen(Viewer Viewer, DashboardText Text, string? Notice);

    public Task<DashboardAnswer> OverviewAsync(DashboardRequest request, CancellationToken ct) =>
        SignedInAsync(request, seen => OverviewAsync(seen, ct));

    private async Task<DashboardAnswer> OverviewAsync(Seen seen, CancellationToken ct)
    {
        var (viewer, t, notice) = seen;
        var figures = await summary.GetAsync(clinic.Today(), ct);
        var latest = await reports.GetLatestAsync(ct);
        var body = OverviewPage.Render(figures, latest, t);
        return Show(200, t, t.Overview, viewer, DashboardRoutes.Root, [], notice, body);
    }

    public Task<DashboardAnswer> ListAsync(DashboardRequest request, ListQuery query, CancellationToken ct) =>
        SignedInAsync(request, seen => ListAsync(seen, query, ct));

    private async Task<DashboardAnswer> ListAsync(Seen seen, ListQuery query, CancellationToken ct)
    {
        var (viewer, t, notice) = seen;
        var errors = new FieldErrors();
        var (filter, _) = FollowUpQueries.List(
            query.Wave,
            query.Status,
            query.Reason,
            null,
            null,
            clinic.Today(),
            errors
        );
        var token = query.ContinuationToken is { Length: > 0 } s ? s : null;
        if (filter is not null && token is not null && !FollowUpListService.IsToken(token, filter))
            errors.Add("continuationToken", "Not a token from a previous page of this list: start again without one.");
        if (filter is null || !errors.IsEmpty)
            return Problems(400, t, viewer, errors.ToDictionary());
        var page = await list.ListAsync(filter, PageSize, token, ct);
        var self = new (string, string?)[]
        {
            ("wave", query.Wave),
            ("status", query.Status),
            ("reason", query.Reason),
            ("continuationToken", token),
        };
        var next = page.ContinuationToken is { } n
            ? Url(DashboardRoutes.FollowUps, t, [.. self[..3], ("continuationToken", n)])
            : null;
        var form = Form(viewer, t, Url(DashboardRoutes.FollowUps, t, self));
        var body = ListPage.Render(filter, page, next, form);
        return Show(200, t, ListPage.Title(filter, t), viewer, DashboardRoutes.FollowUps, self, notice, body);
    }

    public Task<DashboardAnswer> PatientAsync(DashboardRequest request, string studyId, CancellationToken ct) =>
        SignedInAsync(request, seen => PatientAsync(seen, studyId, ct));

    private async Task<DashboardAnswer> PatientAsync(Seen seen, string studyId, CancellationToken ct)
    {
        var (viewer, t, notice) = seen;
        if (await timeline.GetAsync(studyId, ct) is not { } patient)
            return Problem(404, t, viewer, "studyId", $"No patient with study id {studyId}.");
        var stored = new List<StoredResponse>();
        foreach (var wave in patient.Waves.Where(w => w.Status == "answered"))
        {
            if (
                await responses.ReadAsync(patient.StudyId, wave.Wave, ct) is ActionOutcome.Done
                {
                    Answer: StoredResponse r
                }
            )
                stored.Add(r);
        }
        var path = DashboardRoutes.Patient(patient.StudyId);
        var body = PatientPage.Render(patient, stored, Form(viewer, t, Url(path, t)));
        return Show(200, t, patient.StudyId, viewer, path, [], notice, body);
    }

    /// <summary>The latest report's PDF by a short-lived link (the researcher API's), or a page saying there is none.
    /// </summary>
    public Task<DashboardAnswer> ReportAsync(DashboardRequest request, TimeSpan lifetime, CancellationToken ct) =>
        SignedInAsync(request, seen => ReportAsync(seen, lifetime, ct));

    private async Task<DashboardAnswer> ReportAsync(Seen seen, TimeSpan lifetime, CancellationToken ct)
    {
        var (viewer, t, _) = seen;
        if (
            await reports.GetLatestAsync(ct) is { } latest
            && await reports.LinkAsync(latest.Day, ReportBundle.PdfName, lifetime, ct) is { } link
        )
            return DashboardAnswer.SeeOther(link.AbsoluteUri);
        return Problem(404, t, viewer, "report", t.NoReport);
    }

    /// <summary>
    /// Who is signed in first (a 401 page otherwise), then the page; while storage is out of reach (the SDK has
    /// retried already) a 503 page with Retry-After instead of a 500.
    /// </summary>
    private async Task<DashboardAnswer> SignedInAsync(DashboardRequest request, Func<Seen, Task<DashboardAnswer>> page)
    {
        if (access.Resolve(request) is not { } viewer)
            return NotSignedIn(request);
        var t = DashboardText.Of(request.Language);
        try
        {
            return await page(new Seen(viewer, t, request.Notice));
        }
        catch (Exception ex) when (Contention.IsUnavailable(ex))
        {
            return StorageAway(t, viewer, null);
        }
    }

    /// <summary>503 with Retry-After: storage did not answer, or every attempt lost its race; nothing done.</summary>
    public DashboardAnswer StorageAway(DashboardText t, Viewer viewer, string? back)
    {
        var answer = Problems(503, t, viewer, One("storage", t.StorageAway), back);
        return answer with { Page = answer.Page! with { RetryAfter = Contention.RetryAfter } };
    }

    /// <summary>401: nobody signed in; on Azure with a link to the platform's sign-in.</summary>
    public DashboardAnswer NotSignedIn(DashboardRequest request)
    {
        var t = DashboardText.Of(request.Language);
        var sb = new StringBuilder("<h1>").Append(E(t.NotSignedIn)).Append("</h1>\n<p>");
        if (access.LocalSignIn)
            sb.Append(E(t.NotSignedInLocal)).Append("</p>\n");
        else
        {
            sb.Append(E(t.NotSignedInPlatform))
                .Append("</p>\n<p><a href=\"")
                .Append(E("/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(DashboardRoutes.Root)))
                .Append("\">")
                .Append(E(t.PlatformSignIn))
                .Append("</a></p>\n");
        }
        return DashboardAnswer.Show(
            Page(401, t, t.NotSignedIn, null, Url(DashboardRoutes.Root, Other(t)), null, sb.ToString())
        );
    }

    public DashboardAnswer Problem(int status, DashboardText t, Viewer? viewer, string field, string message) =>
        Problems(status, t, viewer, One(field, message));

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };

    /// <summary>A refused action's page: what was refused and why, naming the field, and the way back.</summary>
    public DashboardAnswer Refused(ActionOutcome outcome, DashboardText t, Viewer viewer, string back) =>
        outcome switch
        {
            ActionOutcome.Invalid i => Problems(400, t, viewer, i.Errors, back),
            ActionOutcome.NotFound n => Problems(404, t, viewer, One("studyId", n.Detail), back),
            ActionOutcome.Conflict c => Problems(409, t, viewer, One(c.Field, c.Message), back),
            ActionOutcome.Stale s => Problems(412, t, viewer, One("If-Match", s.Message), back),
            ActionOutcome.Busy => StorageAway(t, viewer, back),
            _ => throw new InvalidOperationException("Unknown action outcome."),
        };

    private DashboardAnswer Problems(
        int status,
        DashboardText t,
        Viewer? viewer,
        IReadOnlyDictionary<string, string[]> errors,
        string? back = null
    )
    {
        var sb = new StringBuilder("<h1>").Append(E(t.Refused)).Append("</h1>\n<div class=\"problem\"><ul>");
        foreach (var (field, messages) in errors)
        {
            foreach (var m in messages)
                sb.Append("<li><strong>").Append(E(field)).Append("</strong>: ").Append(E(m)).Append("</li>");
        }
        sb.Append("</ul></div>\n<p><a href=\"")
            .Append(E(back ?? Url(DashboardRoutes.Root, t)))
            .Append("\">")
            .Append(E(back is null ? t.Back : t.Back.Split(' ')[0]))
            .Append("</a></p>\n");
        return DashboardAnswer.Show(
            Page(status, t, t.Refused, viewer, Url(DashboardRoutes.Root, Other(t)), null, sb.ToString())
        );
    }

    private FormContext Form(Viewer viewer, DashboardText t, string self) =>
        new(sessions.CheckOf(viewer.Binding), self, t, clinic.Today());

    private static DashboardText Other(DashboardText t) =>
        DashboardText.Of(t.Language == Language.Da ? Language.En : Language.Da);

    private static DashboardAnswer Show(
        int status,
        DashboardText t,
        string title,
        Viewer viewer,
        string path,
        (string, string?)[] query,
        string? notice,
        string body
    )
    {
        var text = notice switch
        {
            "done" => t.Done,
            "unchanged" => t.Unchanged,
            _ => null,
        };
        return DashboardAnswer.Show(Page(status, t, title, viewer, Url(path, Other(t), query), text, body));
    }
}
