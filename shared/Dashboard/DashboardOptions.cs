namespace PvpServerless.Dashboard;

/// <summary>
/// How the dashboard knows who is signed in (docs/coordination.md, "Dashboard"). The default is the safe one: only
/// the platform's identity (App Service Authentication) counts. <c>Dashboard:LocalSignIn</c> = true (set by
/// <c>./pvp up</c> and <c>./pvp demo</c>, never on Azure) turns on one-time sign-in links and the signed cookie
/// instead, and then the client-principal headers are ignored: on one machine nothing strips them.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    public bool LocalSignIn { get; set; }
}

/// <summary>The dashboard's addresses and fixed lifetimes.</summary>
public static class DashboardRoutes
{
    /// <summary>Every dashboard page lies under this path (the Functions route prefix is <c>api</c>).</summary>
    public const string Root = "/api/dashboard";

    public const string SignIn = Root + "/sign-in";
    public const string Actions = Root + "/actions";
    public const string FollowUps = Root + "/followups";
    public const string Report = Root + "/report";
    public const string Stylesheet = Root + "/assets/dashboard.css";

    public static string Patient(string studyId) => Root + "/patients/" + Uri.EscapeDataString(studyId);

    /// <summary>How long a sign-in link may wait before it is opened.</summary>
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(15);

    /// <summary>How long a signed-in browser stays signed in (a working day).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    /// <summary>
    /// A return address a form may name: one of our own dashboard pages, never another site (no open redirect).
    /// </summary>
    public static bool IsOwnPage(string? path) =>
        path is { Length: > 0 and < 1024 }
        && (
            path == Root
            || path.StartsWith(Root + "/", StringComparison.Ordinal)
            || path.StartsWith(Root + "?", StringComparison.Ordinal)
        )
        && !path.Contains("//", StringComparison.Ordinal)
        && !path.Contains('\\', StringComparison.Ordinal)
        && path.All(c => c > ' ' && c < 127);
}
