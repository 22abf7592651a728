using System.Text;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using PvpServerless.Web;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>
/// Signing in on one machine (docs/coordination.md, "Dashboard"): the link's page asks for initials (opening it
/// uses nothing up, so a link preview does no harm); the post checks them as <c>X-Pvp-User</c> is checked, uses the
/// ticket up, sets the signed session cookie (HttpOnly, SameSite=Strict, Secure over https) and goes to the
/// dashboard. Behind App Service Authentication there is no such page (404): the platform signs people in.
/// </summary>
public sealed class SignInPages(DashboardAccess access, SignInTickets tickets, SessionCookie sessions)
{
    public const int MaxBodyBytes = 1024;

    private static readonly string[] Fields = ["ticket", "initials", "lang"];

    public async Task<DashboardAnswer> ShowAsync(DashboardRequest request, string? ticket, CancellationToken ct)
    {
        var t = DashboardText.Of(request.Language);
        if (!access.LocalSignIn)
            return Message(404, t, t.NotSignedInPlatform);
        if (!await tickets.IsValidAsync(ticket, ct))
            return Message(401, t, t.TicketInvalid);
        return Form(200, t, ticket!, null, null);
    }

    public async Task<DashboardAnswer> SignInAsync(DashboardPost post, CancellationToken ct)
    {
        var t = DashboardText.Of(post.Request.Language);
        if (!access.LocalSignIn)
            return Message(404, t, t.NotSignedInPlatform);
        if (
            !Origins.IsOwn(post.Origin, post.FetchSite, post.Request.Url, null)
            || !UrlEncodedForm.TryParse(post.Body.Span, post.ContentType, Fields, out var form)
        )
            return Message(403, t, t.TicketInvalid);
        var ticket = form.GetValueOrDefault("ticket") ?? "";
        var initials = form.GetValueOrDefault("initials")?.Trim() ?? "";
        // The very rule of X-Pvp-User: 2–8 letters, never an e-mail address.
        var identity = CoordinatorIdentity.Resolve(
            "coordinator",
            name => name == CoordinatorIdentity.UserHeader && initials.Length > 0 ? initials : null
        );
        if (identity is not IdentityResult.Known { Actor.Person: { } person })
            return Form(400, t, ticket, initials, t.InitialsError);
        if (!await tickets.RedeemAsync(ticket, ct))
            return Message(401, t, t.TicketInvalid);
        var secure = post.Request.Url.Scheme == Uri.UriSchemeHttps ? "; Secure" : "";
        var cookie =
            $"{SessionCookie.Name}={sessions.Issue(person)}; Path={DashboardRoutes.Root}; "
            + $"Max-Age={(int)DashboardRoutes.SessionLifetime.TotalSeconds}; HttpOnly; SameSite=Strict{secure}";
        return DashboardAnswer.SeeOther(Url(DashboardRoutes.Root, t), cookie);
    }

    private static DashboardAnswer Message(int status, DashboardText t, string text)
    {
        var body = $"<h1>{E(t.SignInTitle)}</h1>\n<p class=\"problem\">{E(text)}</p>\n";
        return DashboardAnswer.Show(
            Page(status, t, t.SignInTitle, null, Url(DashboardRoutes.Root, Other(t)), null, body)
        );
    }

    private static DashboardAnswer Form(int status, DashboardText t, string ticket, string? initials, string? error)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>")
            .Append(E(t.SignInTitle))
            .Append("</h1>\n<form method=\"post\" action=\"")
            .Append(E(Url(DashboardRoutes.SignIn, t)))
            .Append("\" class=\"sign-in\">")
            .Append("<input type=\"hidden\" name=\"ticket\" value=\"")
            .Append(E(ticket))
            .Append("\">")
            .Append("<input type=\"hidden\" name=\"lang\" value=\"")
            .Append(t.Code)
            .Append("\">")
            .Append("<p><label for=\"initials\">")
            .Append(E(t.Initials))
            .Append("</label><br>")
            .Append("<span class=\"muted\" id=\"initials-hint\">")
            .Append(E(t.InitialsHint))
            .Append("</span><br>");
        if (error is not null)
            sb.Append("<span class=\"problem\" id=\"initials-error\">").Append(E(error)).Append("</span><br>");
        sb.Append("<input id=\"initials\" name=\"initials\" autocomplete=\"off\" required maxlength=\"8\" ")
            .Append("aria-describedby=\"initials-hint")
            .Append(error is null ? "" : " initials-error")
            .Append('"')
            .Append(error is null ? "" : " aria-invalid=\"true\"")
            .Append(" value=\"")
            .Append(E(initials))
            .Append("\"></p><p><button type=\"submit\">")
            .Append(E(t.SignInButton))
            .Append("</button></p></form>\n");
        // The other language keeps the ticket: it is not used up until the form is sent.
        var other = Url(DashboardRoutes.SignIn, Other(t), ("ticket", ticket));
        return DashboardAnswer.Show(Page(status, t, t.SignInTitle, null, other, null, sb.ToString()));
    }

    private static DashboardText Other(DashboardText t) =>
        DashboardText.Of(t.Language == Language.Da ? Language.En : Language.Da);
}
