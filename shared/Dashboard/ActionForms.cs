using System.Text;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>
/// The coordinator's actions as forms (docs/coordination.md): each posts to the actions route, which calls the same
/// service as the API. Inside a <c>details</c> element, so a list stays short and nothing needs script.
/// </summary>
public static class ActionForms
{
    /// <summary>Resend and move window for one wave; a closed window asks for the new closing day.</summary>
    public static string Wave(FormContext c, string studyId, string wave, string status, DateOnly closesOn)
    {
        var t = c.Text;
        var key = Key(studyId, wave);
        var closed = closesOn < c.Today || status == "expired";
        var newDay = Codes.Format(closed ? c.Today.AddDays(14) : closesOn.AddDays(7));
        var sb = new StringBuilder();
        if (status is not ("answered" or "scheduled"))
        {
            var field = closed ? Input(key + "-resend-closes", "closesOn", t.NewClosingDay, "date", newDay) : "";
            sb.Append(ActionForm(c, DashboardActions.Resend, studyId, wave, t.Resend, field));
        }
        if (status != "answered")
        {
            sb.Append(
                ActionForm(
                    c,
                    DashboardActions.Window,
                    studyId,
                    wave,
                    t.ExtendWindow,
                    Input(key + "-window", "closesOn", t.NewClosingDay, "date", newDay, "required")
                )
            );
        }
        return sb.ToString();
    }

    /// <summary>Death, withdrawal, and opt-out or back in, for the patient.</summary>
    public static string Patient(FormContext c, string studyId, string key, bool optedOut)
    {
        var t = c.Text;
        var today = Codes.Format(c.Today);
        var sb = new StringBuilder();
        sb.Append(
            ActionForm(
                c,
                DashboardActions.Death,
                studyId,
                null,
                t.RecordDeath,
                Input(key + "-death", "date", t.DeathDate, "date", today, "required")
            )
        );
        sb.Append(
            ActionForm(
                c,
                DashboardActions.Withdrawal,
                studyId,
                null,
                t.RecordWithdrawal,
                Input(key + "-withdrawal", "date", t.WithdrawalDate, "date", today, "required")
            )
        );
        sb.Append(
            optedOut
                ? ActionForm(c, DashboardActions.OptIn, studyId, null, t.OptIn)
                : ActionForm(c, DashboardActions.OptOut, studyId, null, t.OptOut)
        );
        return sb.ToString();
    }

    /// <summary>All of one list row's actions in a disclosure named after the row.</summary>
    public static string Row(FormContext c, FollowUpItem item)
    {
        var key = Key(item.StudyId, item.Wave);
        var sb = new StringBuilder("<details><summary>");
        sb.Append(E(c.Text.Actions))
            .Append("<span class=\"visually-hidden\"> ")
            .Append(E(item.StudyId))
            .Append(' ')
            .Append(E(c.Text.WaveName(item.Wave)))
            .Append("</span></summary>");
        sb.Append(Wave(c, item.StudyId, item.Wave, item.Status, item.ClosesOn));
        sb.Append(Patient(c, item.StudyId, key, item.SkipReason == "optedOut"));
        return sb.Append("</details>").ToString();
    }

    public static string Key(string studyId, string wave) => "a-" + studyId + "-" + wave;
}
