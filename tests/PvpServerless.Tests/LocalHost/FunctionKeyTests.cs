using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.LocalHost;

namespace PvpServerless.Tests.LocalHost;

public sealed class FunctionKeyTests
{
    private static readonly FunctionKeys Keys = new(
        new LocalHostOptions
        {
            MasterKey = "master",
            FunctionKeys = new() { ["host"] = "host-key" },
            Functions = new(StringComparer.OrdinalIgnoreCase)
            {
                ["EnrolPatient"] = new FunctionKeySet { Keys = { ["coordinator"] = "coord-key" } },
                ["ExportCohort"] = new FunctionKeySet { Keys = { ["researcher"] = "research-key" } },
            },
        }
    );

    private static HttpRequest Request(string? header = null, string? code = null)
    {
        var context = new DefaultHttpContext();
        if (header is not null)
            context.Request.Headers["x-functions-key"] = header;
        if (code is not null)
            context.Request.QueryString = new QueryString("?code=" + code);
        return context.Request;
    }

    [Theory]
    [InlineData("coord-key", "EnrolPatient", true)]
    [InlineData("coord-key", "ExportCohort", false)] // a function key opens its own functions only
    [InlineData("research-key", "ExportCohort", true)]
    [InlineData("research-key", "EnrolPatient", false)]
    [InlineData("host-key", "ExportCohort", true)] // a host key opens every Function-level route
    [InlineData("master", "EnrolPatient", true)]
    [InlineData("", "EnrolPatient", false)]
    [InlineData("coord-key-", "EnrolPatient", false)]
    public void Keys_open_what_they_would_open_on_Azure(string key, string function, bool allowed) =>
        Assert.Equal(allowed, Keys.Allows(Request(header: key), AuthorizationLevel.Function, function));

    [Fact]
    public void The_code_query_works_like_the_header() =>
        Assert.True(Keys.Allows(Request(code: "research-key"), AuthorizationLevel.Function, "ExportCohort"));

    [Fact]
    public void Admin_level_takes_only_the_master_key()
    {
        Assert.False(Keys.Allows(Request(header: "host-key"), AuthorizationLevel.Admin, "Anything"));
        Assert.True(Keys.Allows(Request(header: "master"), AuthorizationLevel.Admin, "Anything"));
        Assert.True(Keys.Allows(Request(), AuthorizationLevel.Anonymous, "Anything"));
    }
}
