using PvpServerless.Web;

namespace PvpServerless.Tests.Web;

/// <summary>
/// Which posts count as coming from our own pages, by Fetch Metadata (origins alone: PatientPageTests;
/// docs/survey.md, "Cross-site posts"). The header pairs are what
/// browsers send: Chromium posts a form from a <c>no-referrer</c> page with <c>Origin: null</c> and
/// <c>Sec-Fetch-Site: same-origin</c>; a sandboxed frame elsewhere sends <c>null</c> with <c>cross-site</c>.
/// </summary>
public sealed class OriginsTests
{
    private static readonly Uri Request = new("http://127.0.0.1:7071/api/survey/abc");
    private static readonly Uri Public = new("https://pvp.example.dk/api");

    [Theory]
    [InlineData("http://127.0.0.1:7071", "same-origin")]
    [InlineData("https://pvp.example.dk", "same-origin")] // behind a proxy that changes the host
    [InlineData("null", "same-origin")] // our own page under Referrer-Policy: no-referrer
    [InlineData(null, "none")] // typed into the address bar
    public void Our_own_pages_pass(string? origin, string? fetchSite) =>
        Assert.True(Origins.IsOwn(origin, fetchSite, Request, Public));

    [Theory]
    [InlineData("https://evil.example", "cross-site")]
    [InlineData("null", null)] // a sandboxed frame in a browser without Fetch Metadata
    [InlineData("null", "cross-site")]
    [InlineData("http://127.0.0.1:7071", "cross-site")] // a forged Origin cannot hide the browser's own verdict
    [InlineData("http://127.0.0.1:7071", "same-site")] // another host of the same site
    public void Other_sites_are_refused(string? origin, string? fetchSite) =>
        Assert.False(Origins.IsOwn(origin, fetchSite, Request, Public));
}
