using System.Text;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>
/// The list behind a tile (<c>GET /api/followups</c>'s items): study id (to the patient's page), wave, due day,
/// window, status, last e-mail, days overdue, and the actions. No contact details here.
/// </summary>
public static class ListPage
{
    public static string Title(FollowUpFilter filter, DashboardText t)
    {
        var status = filter.Overdue ? "overdue" : filter.Reason ?? Codes.Of(filter.Status!.Value);
        var wave = filter.Wave is { } w ? t.WaveName(w.Code()) + ": " : "";
        return wave + t.StatusName(status);
    }

    public static string Render(FollowUpFilter filter, FollowUpPage page, string? nextUrl, FormContext c)
    {
        var t = c.Text;
        var sb = new StringBuilder(16384);
        sb.Append("<h1>")
            .Append(E(Title(filter, t)))
            .Append("</h1>\n<p><a href=\"")
            .Append(E(Url(DashboardRoutes.Root, t)))
            .Append("\">")
            .Append(E(t.Back))
            .Append("</a></p>\n");
        if (page.Items.Count == 0)
            return sb.Append("<p id=\"empty\">").Append(E(t.NothingListed)).Append("</p>\n").ToString();
        sb.Append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"list-caption\">")
            .Append("<table id=\"followups\"><caption id=\"list-caption\" class=\"visually-hidden\">")
            .Append(E(Title(filter, t)))
            .Append("</caption>\n<thead><tr>");
        foreach (var h in new[] { t.StudyId, t.WaveColumn, t.Due, t.Window, t.Status, t.LastEmail })
            sb.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        sb.Append("<th scope=\"col\" class=\"num\">")
            .Append(E(t.DaysOverdue))
            .Append("</th><th scope=\"col\">")
            .Append(E(t.Actions))
            .Append("</th></tr></thead>\n<tbody>\n");
        foreach (var item in page.Items)
            Row(sb, item, c);
        sb.Append("</tbody></table></div>\n");
        if (nextUrl is not null)
        {
            sb.Append("<p class=\"pager\"><a id=\"next-page\" href=\"")
                .Append(E(nextUrl))
                .Append("\">")
                .Append(E(t.NextPage))
                .Append("</a></p>\n");
        }
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, FollowUpItem item, FormContext c)
    {
        var t = c.Text;
        sb.Append("<tr data-study-id=\"")
            .Append(E(item.StudyId))
            .Append("\"><th scope=\"row\"><a href=\"")
            .Append(E(Url(DashboardRoutes.Patient(item.StudyId), t)))
            .Append("\">")
            .Append(E(item.StudyId))
            .Append("</a></th><td>")
            .Append(E(t.WaveName(item.Wave)))
            .Append("</td><td class=\"date\">")
            .Append(Codes.Format(item.DueDate))
            .Append("</td><td class=\"date\">")
            .Append(Codes.Format(item.OpensOn))
            .Append(" – ")
            .Append(Codes.Format(item.ClosesOn))
            .Append("</td><td>")
            .Append(E(t.StatusName(item.Status)));
        if (item.SkipReason is { } reason)
            sb.Append(" (").Append(E(t.StatusName(reason))).Append(')');
        sb.Append("</td><td>")
            .Append(E(Email(item.LastEmail)))
            .Append("</td><td class=\"num\">")
            .Append(item.DaysOverdue is { } d ? Number(d) : "")
            .Append("</td><td>")
            .Append(ActionForms.Row(c, item))
            .Append("</td></tr>\n");
    }

    /// <summary>Kind, state and SendGrid's word, e.g. "invitation · sent · delivered".</summary>
    public static string Email(LastEmail? e) =>
        e is null
            ? ""
            : string.Join(
                " · ",
                new[] { e.Kind, e.Status, e.DeliveryState, e.FailureReason }.Where(s => !string.IsNullOrEmpty(s))
            );
}
