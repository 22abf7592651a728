using System.Text;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>
/// Every table of the dashboard: inside a focusable region that scrolls sideways on its own (a tablet's width), named
/// by the table's visually hidden caption, with header cells scoped to their columns. The caller appends the rows
/// between <see cref="Open"/> and <see cref="Close"/>; every text goes through <see cref="Markup.E"/>.
/// </summary>
public static class Table
{
    /// <summary>A column's heading; a number column is right-aligned.</summary>
    public sealed record Column(string Heading, bool Number = false);

    public static StringBuilder Open(StringBuilder sb, string id, string caption, params IEnumerable<Column> columns)
    {
        sb.Append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"")
            .Append(id)
            .Append("-caption\"><table id=\"")
            .Append(id)
            .Append("\"><caption id=\"")
            .Append(id)
            .Append("-caption\" class=\"visually-hidden\">")
            .Append(E(caption))
            .Append("</caption>\n<thead><tr>");
        foreach (var c in columns)
        {
            sb.Append(c.Number ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">")
                .Append(E(c.Heading))
                .Append("</th>");
        }
        return sb.Append("</tr></thead>\n<tbody>\n");
    }

    public static StringBuilder Close(StringBuilder sb) => sb.Append("</tbody></table></div>\n");

    /// <summary>The columns of <see cref="WaveCells"/>.</summary>
    public static IEnumerable<Column> WaveColumns(DashboardText t) =>
        [new(t.Due), new(t.Window), new(t.Status), new(t.LastEmail)];

    /// <summary>
    /// A wave's cells, as the list and the patient's page show it: due day, window (a line may break between its two
    /// days, the dash going with the second, never inside a day), status with the reason it was skipped, and the last
    /// e-mail in words.
    /// </summary>
    public static StringBuilder WaveCells(
        StringBuilder sb,
        DashboardText t,
        (DateOnly Due, DateOnly Opens, DateOnly Closes) days,
        string status,
        string? skipReason,
        LastEmail? email
    )
    {
        sb.Append("<td class=\"date\">")
            .Append(Codes.Format(days.Due))
            .Append("</td><td><span class=\"date\">")
            .Append(Codes.Format(days.Opens))
            .Append("</span> <span class=\"date\">– ")
            .Append(Codes.Format(days.Closes))
            .Append("</span></td><td class=\"status\">")
            .Append(E(t.StatusName(status)));
        if (skipReason is not null)
            sb.Append(" (").Append(E(t.StatusName(skipReason))).Append(')');
        return sb.Append("</td><td>").Append(E(t.Words.Of(email))).Append("</td>");
    }
}
