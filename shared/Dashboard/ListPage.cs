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
        Table.Open(
            sb,
            "followups",
            Title(filter, t),
            [
                new(t.StudyId),
                new(t.WaveColumn),
                .. Table.WaveColumns(t),
                new(t.DaysOverdue, Number: true),
                new(t.Actions),
            ]
        );
        foreach (var item in page.Items)
            Row(sb, item, c);
        Table.Close(sb);
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
            .Append("</td>");
        Table.WaveCells(
            sb,
            t,
            (item.DueDate, item.OpensOn, item.ClosesOn),
            item.Status,
            item.SkipReason,
            item.LastEmail
        );
        sb.Append("<td class=\"num\">")
            .Append(item.DaysOverdue is { } d ? Number(d) : "")
            .Append("</td><td>")
            .Append(ActionForms.Row(c, item))
            .Append("</td></tr>\n");
    }
}
