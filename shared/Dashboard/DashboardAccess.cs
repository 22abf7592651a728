using Microsoft.Extensions.Options;
using PvpServerless.Coordination;
using PvpServerless.Domain;
using PvpServerless.Patients;

namespace PvpServerless.Dashboard;

/// <summary>What a dashboard request carries: who sent it and from where, and the notice to show.</summary>
/// <param name="Header">A request header's value, or null when absent or empty.</param>
/// <param name="Cookie">The <see cref="SessionCookie.Name"/> cookie, or null.</param>
/// <param name="Notice">The page's notice after an action (<c>notice=done</c> or <c>unchanged</c>), if any.</param>
public sealed record DashboardRequest(
    Func<string, string?> Header,
    string? Cookie,
    Uri Url,
    Language Language,
    string? Notice = null
);

/// <summary>
/// The signed-in coordinator: the audit's actor, the name shown, and what the forms' check is bound to.
/// </summary>
public sealed record Viewer(Actor Actor, string Name, string Binding);

/// <summary>
/// Who is signed in (docs/coordination.md, "Dashboard"): behind App Service Authentication the platform's
/// client principal (<see cref="CoordinatorIdentity"/>); with <see cref="DashboardOptions.LocalSignIn"/> only a
/// genuine session cookie. Nobody otherwise: the pages answer 401.
/// </summary>
public sealed class DashboardAccess(IOptions<DashboardOptions> options, SessionCookie sessions)
{
    public bool LocalSignIn => options.Value.LocalSignIn;

    public Viewer? Resolve(DashboardRequest request)
    {
        if (options.Value.LocalSignIn)
        {
            return sessions.Read(request.Cookie) is { } initials
                ? new Viewer(new Actor("coordinator", initials), initials, request.Cookie!)
                : null;
        }
        var principal = request.Header(CoordinatorIdentity.PrincipalHeader);
        if (principal is null)
            return null;
        // X-Pvp-User never counts here: the platform's identity is required.
        var result = CoordinatorIdentity.Resolve(
            "coordinator",
            name => name == CoordinatorIdentity.UserHeader ? null : request.Header(name)
        );
        return result is IdentityResult.Known { Actor.Person: { } person } known
            ? new Viewer(known.Actor, person, request.Header(CoordinatorIdentity.PrincipalIdHeader) ?? principal)
            : null;
    }
}
