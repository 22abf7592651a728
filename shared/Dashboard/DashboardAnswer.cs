using PvpServerless.Web;

namespace PvpServerless.Dashboard;

/// <summary>
/// What a dashboard route answers: a page, or a redirect (303 after a post, so a reload never posts again) that may
/// set the session cookie. Both go out with <see cref="HtmlPage.SecurityHeaders"/>.
/// </summary>
public sealed record DashboardAnswer(HtmlPage? Page, string? Location = null, string? SetCookie = null)
{
    public static DashboardAnswer Show(HtmlPage page) => new(page);

    public static DashboardAnswer SeeOther(string location, string? setCookie = null) => new(null, location, setCookie);
}

/// <summary>A form posted to the dashboard (an action, the sign-in) and what the request says of its origin.</summary>
public sealed record DashboardPost(
    DashboardRequest Request,
    string? Origin,
    string? FetchSite,
    string? ContentType,
    ReadOnlyMemory<byte> Body
);
