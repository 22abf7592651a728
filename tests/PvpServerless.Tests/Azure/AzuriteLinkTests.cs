using System.Net;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Reports.Nightly;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>With a connection string (Azurite, ./pvp up) a link stays an account-key SAS, read-only.</summary>
public sealed class AzuriteLinkTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_a_connection_string_a_report_link_is_a_read_only_account_key_sas()
    {
        await using var services = TestServices.Build(
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage:NamePrefix"] = azurite.NewPrefix(),
            }
        );
        var storage = services.GetRequiredService<PvpStorage>();
        Assert.False(storage.UsesIdentity);
        await storage.EnsureCreatedAsync(Ct);
        var store = services.GetRequiredService<ReportStore>();
        var day = new DateOnly(2026, 11, 25);
        await store.PublishAsync(day, TestServices.ReportFolder(day), Ct);

        var issued = DateTimeOffset.UtcNow;
        var link = await store.LinkAsync(day, "file2.csv", TimeSpan.FromMinutes(5), Ct);

        Assert.NotNull(link);
        var sas = HttpUtility.ParseQueryString(link.Query);
        Assert.Equal("r", sas["sp"]);
        Assert.Null(sas["skoid"]);
        var expires = DateTimeOffset.Parse(sas["se"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - issued, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        using var http = new HttpClient();
        using var download = await http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("row 2", await download.Content.ReadAsStringAsync(Ct));
    }
}
