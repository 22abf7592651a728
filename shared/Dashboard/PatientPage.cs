using System.Globalization;
using System.Text;
using PvpServerless.Coordination;
using PvpServerless.Coordination.Actions;
using PvpServerless.Domain;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>
/// One patient (<c>GET /api/patients/{studyId}/timeline</c>): the facts and the contact (the one place the address
/// shows), the waves with their actions, a correction form per stored response, and the history, oldest first.
/// </summary>
public static class PatientPage
{
    public static string Render(PatientTimeline p, IReadOnlyList<StoredResponse> responses, FormContext c)
    {
        var t = c.Text;
        var sb = new StringBuilder(16384);
        sb.Append("<h1>")
            .Append(E(p.StudyId))
            .Append("</h1>\n<p><a href=\"")
            .Append(E(Url(DashboardRoutes.Root, t)))
            .Append("\">")
            .Append(E(t.Back))
            .Append("</a></p>\n<dl class=\"facts\">");
        Fact(sb, t.Procedure, Codes.Format(p.ProcedureDate));
        Fact(sb, t.Enrolled, Time(p.EnrolledAt));
        Fact(sb, t.Died, p.DeathDate is { } d ? Codes.Format(d) : null);
        Fact(sb, t.Withdrew, p.WithdrawnDate is { } w ? Codes.Format(w) : null);
        Fact(sb, t.OptedOutAt, p.OptedOutAt is { } o ? Time(o) : null);
        Fact(sb, t.Contact, p.Contact is { } contact ? contact.Email + " (" + Language(contact, t) + ")" : null);
        sb.Append("</dl>\n<div class=\"patient-actions\">")
            .Append(ActionForms.Patient(c, p.StudyId, "p-" + p.StudyId, p.OptedOutAt is not null))
            .Append("</div>\n");
        Waves(sb, p, c);
        foreach (var r in responses)
            Correction(sb, r, c);
        History(sb, p, t);
        return sb.ToString();
    }

    private static string Language(TimelineContact contact, DashboardText t) =>
        t.Words.Languages.GetValueOrDefault(contact.Language, contact.Language);

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static void Fact(StringBuilder sb, string name, string? value)
    {
        if (value is not null)
            sb.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
    }

    private static void Waves(StringBuilder sb, PatientTimeline p, FormContext c)
    {
        var t = c.Text;
        sb.Append("<h2>").Append(E(t.Waves)).Append("</h2>\n");
        Table.Open(sb, "waves", t.Waves, [new(t.WaveColumn), .. Table.WaveColumns(t), new(t.Actions)]);
        foreach (var w in p.Waves)
        {
            sb.Append("<tr data-wave=\"")
                .Append(E(w.Wave))
                .Append("\"><th scope=\"row\">")
                .Append(E(t.WaveName(w.Wave)))
                .Append("</th>");
            Table.WaveCells(sb, t, (w.DueDate, w.OpensOn, w.ClosesOn), w.Status, w.SkipReason, w.LastEmail);
            sb.Append("<td>")
                .Append(ActionForms.Wave(c, p.StudyId, w.Wave, w.Status, w.ClosesOn))
                .Append("</td></tr>\n");
        }
        Table.Close(sb);
    }

    private static readonly string[] Dimensions = ["mobility", "selfCare", "usualActivities", "pain", "anxiety"];

    private static void Correction(StringBuilder sb, StoredResponse r, FormContext c)
    {
        var t = c.Text;
        var wave = r.Response.Wave.Code();
        var key = "c-" + wave;
        var e = r.Response.Eq5d;
        int?[] levels = [e?.Mobility, e?.SelfCare, e?.UsualActivities, e?.Pain, e?.Anxiety];
        var fields = new StringBuilder();
        // Shown, not sent: the correction keeps the stored time; moving it is the API's (docs/coordination.md,
        // "Dashboard").
        var completed = Time(r.Response.CompletedAt);
        fields.Append("<p class=\"muted\">").Append(E(t.CompletedAt)).Append(' ').Append(E(completed)).Append("</p>");
        for (var i = 0; i < Dimensions.Length; i++)
            fields.Append(
                Input(
                    $"{key}-{Dimensions[i]}",
                    "eq5d-" + Dimensions[i],
                    "EQ-5D " + t.Eq5dNames[i],
                    "number",
                    Text(levels[i]),
                    "min=\"1\" max=\"5\""
                )
            );
        fields.Append(Input(key + "-vas", "eq5d-vas", "EQ VAS", "number", Text(e?.Vas), "min=\"0\" max=\"100\""));
        // ODI on a line of its own, under EQ-5D.
        fields.Append("<span class=\"break\"></span>");
        for (var i = 0; i < 10; i++)
            fields.Append(
                Input(
                    $"{key}-odi{i + 1}",
                    $"odi-{i + 1}",
                    $"ODI {i + 1}",
                    "number",
                    Text(r.Response.Odi is { } odi && i < odi.Count ? odi[i] : null),
                    "min=\"0\" max=\"5\""
                )
            );
        sb.Append("<details id=\"correct-")
            .Append(E(wave))
            .Append("\"><summary>")
            .Append(E(t.CorrectResponse))
            .Append(": ")
            .Append(E(t.WaveName(wave)))
            .Append("</summary>")
            .Append(
                ActionForm(c, DashboardActions.CorrectResponse, r.StudyId, wave, t.SaveCorrection, fields.ToString())
            )
            .Append("</details>\n");
    }

    private static string? Text(int? n) => n?.ToString(CultureInfo.InvariantCulture);

    /// <summary>What happened, oldest first, in words: the action and who did it (docs/coordination.md).</summary>
    private static void History(StringBuilder sb, PatientTimeline p, DashboardText t)
    {
        sb.Append("<h2>").Append(E(t.History)).Append("</h2>\n");
        Table.Open(sb, "history", t.History, [new(t.When), new(t.Who), new(t.What), new(t.WaveColumn), new(t.Scores)]);
        foreach (var entry in p.Entries)
        {
            sb.Append("<tr data-action=\"")
                .Append(E(entry.Action))
                .Append("\"><td class=\"date\">")
                .Append(E(Time(entry.At)))
                .Append("</td><td>")
                .Append(E(t.Words.Actor(entry.Actor)))
                .Append("</td><td>")
                .Append(E(t.Words.Action(entry.Action)))
                .Append("</td><td>")
                .Append(E(entry.Wave is { } w ? t.WaveName(w) : ""))
                .Append("</td><td class=\"scores\">")
                .Append(E(Scores(entry.Scores, t)))
                .Append("</td></tr>\n");
        }
        Table.Close(sb);
    }

    /// <summary>"EQ-5D 0.321 · VAS 40 · ODI 40.0 · pain 3", what is known of it.</summary>
    public static string Scores(TimelineScores? s, DashboardText t)
    {
        if (s is null)
            return "";
        var parts = new List<string>();
        if (s.Eq5dIndex is { } index)
            parts.Add("EQ-5D " + index.ToString("0.000", CultureInfo.InvariantCulture));
        if (s.Vas is { } vas)
            parts.Add("VAS " + vas.ToString("0", CultureInfo.InvariantCulture));
        if (s.Odi is { } odi)
            parts.Add("ODI " + odi.ToString("0.0", CultureInfo.InvariantCulture));
        if (s.Pain is { } pain)
            parts.Add(t.PainScore + " " + pain.ToString(CultureInfo.InvariantCulture));
        return string.Join(" · ", parts);
    }
}
