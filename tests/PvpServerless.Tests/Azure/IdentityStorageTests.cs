using System.Net;
using System.Text.Json;
using System.Web;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;
using PvpServerless.Reports.Nightly;
using PvpServerless.Storage;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// The code as it runs on Azure: storage reached by service URI and bearer token (no key), report links as user
/// delegation SAS. Against an Azurite with OAuth and HTTPS; Entra ID is faked (<see cref="FakeEntraCredential"/>).
/// </summary>
public sealed class IdentityStorageTests(IdentityAzurite azurite) : IClassFixture<IdentityAzurite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeEntraCredential _credential = new(TimeProvider.System);
    private readonly StorageRequestCounter _requests = new();

    private ServiceProvider Services(string prefix) =>
        TestServices.Build(
            new Dictionary<string, string?>
            {
                ["Storage:TableServiceUri"] = azurite.TableServiceUri,
                ["Storage:BlobServiceUri"] = azurite.BlobServiceUri,
                ["Storage:QueueServiceUri"] = azurite.QueueServiceUri,
                ["Storage:NamePrefix"] = prefix,
            },
            clients =>
            {
                clients.UseCredential(_credential);
                clients.ConfigureDefaults(options =>
                {
                    options.Transport = new HttpClientTransport(azurite.Certificate.Handler());
                    options.AddPolicy(_requests, HttpPipelinePosition.PerRetry);
                });
            }
        );

    /// <summary>What infra/modules/storage.bicep does before the app ever starts.</summary>
    private static async Task CreateAsTheTemplateDoesAsync(PvpStorage storage)
    {
        await storage.Patients.CreateIfNotExistsAsync(Ct);
        await storage.Schedule.CreateIfNotExistsAsync(Ct);
        await storage.Contacts.CreateIfNotExistsAsync(Ct);
        await storage.Tokens.CreateIfNotExistsAsync(Ct);
        await storage.FollowUpStatus.CreateIfNotExistsAsync(Ct);
        await storage.FollowUpCounts.CreateIfNotExistsAsync(Ct);
        await storage.Reports.CreateIfNotExistsAsync(cancellationToken: Ct);
        await storage.Outbox.CreateIfNotExistsAsync(cancellationToken: Ct);
    }

    [Fact]
    public async Task On_an_identity_start_up_names_the_missing_tables_and_container_and_creates_nothing()
    {
        await using var services = Services("idstart");
        var storage = services.GetRequiredService<PvpStorage>();
        Assert.True(storage.UsesIdentity);

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.EnsureCreatedAsync(Ct));
        foreach (
            var name in (string[])
                [
                    "table idstartPatients",
                    "table idstartSchedule",
                    "table idstartContacts",
                    "table idstartTokens",
                    "table idstartFollowUpStatus",
                    "table idstartFollowUpCounts",
                    "container idstartreports",
                    "container idstartoutbox",
                ]
        )
        {
            Assert.Contains(name, missing.Message);
        }
        Assert.Contains("infra/main.bicep", missing.Message);
        Assert.DoesNotContain(_requests.Requests, r => r.Method is "PUT" or "POST");

        await CreateAsTheTemplateDoesAsync(storage);
        await storage.EnsureCreatedAsync(Ct);
        Assert.Equal(["https://storage.azure.com/.default"], _credential.Scopes);
    }

    [Fact]
    public async Task An_enrolment_over_the_managed_identity_writes_the_patient_and_its_contact()
    {
        await using var services = Services("idenrol");
        var storage = services.GetRequiredService<PvpStorage>();
        await CreateAsTheTemplateDoesAsync(storage);
        var body = Enrolments.Valid();
        var request = JsonSerializer.Deserialize<EnrolmentRequest>(JsonSerializer.Serialize(body), Answers.Json);

        var result = await services
            .GetRequiredService<EnrolmentService>()
            .EnrolAsync(request, new Actor("coordinator"), Ct);

        var created = Assert.IsType<EnrolmentResult.Created>(result);
        Assert.NotNull(await services.GetRequiredService<PatientQueries>().GetAsync(created.Patient.StudyId, Ct));
        Assert.Equal(
            1,
            await storage.Contacts.QueryAsync<Azure.Data.Tables.TableEntity>(cancellationToken: Ct).CountAsync(Ct)
        );
        Assert.All(_requests.Requests, r => Assert.Equal("https", r.Uri.Scheme));
    }

    [Fact]
    public async Task A_report_link_on_an_identity_is_a_read_only_https_user_delegation_sas_for_its_lifetime_only()
    {
        await using var services = Services("idlink");
        var storage = services.GetRequiredService<PvpStorage>();
        await CreateAsTheTemplateDoesAsync(storage);
        var store = services.GetRequiredService<ReportStore>();
        var day = new DateOnly(2026, 11, 27);
        await store.PublishAsync(day, TestServices.ReportFolder(day), Ct);

        var issued = DateTimeOffset.UtcNow;
        var link = await store.LinkAsync(day, "file1.csv", TimeSpan.FromMinutes(10), Ct);
        var again = await store.LinkAsync(day, "file2.csv", TimeSpan.FromMinutes(10), Ct);

        Assert.NotNull(link);
        Assert.NotNull(again);
        var sas = HttpUtility.ParseQueryString(link.Query);
        Assert.Equal("r", sas["sp"]);
        Assert.Equal("b", sas["sr"]);
        Assert.Equal("https", sas["spr"]);
        Assert.Equal(FakeEntraCredential.ObjectId, sas["skoid"]);
        Assert.Equal(FakeEntraCredential.TenantId, sas["sktid"]);
        Assert.Null(sas["st"]); // valid from issue: the window is the lifetime, not a minute more
        var expires = DateTimeOffset.Parse(sas["se"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - issued, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(5));
        // One delegation key signs both links.
        Assert.Single(
            _requests.Requests,
            r => r.Uri.Query.Contains("comp=userdelegationkey", StringComparison.Ordinal)
        );

        using var http = new HttpClient(azurite.Certificate.Handler());
        using var download = await http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("row 1", await download.Content.ReadAsStringAsync(Ct));
        Assert.Contains("2026-11-27-file1.csv", download.Content.Headers.ContentDisposition?.ToString());

        using var overwrite = new HttpRequestMessage(HttpMethod.Put, link) { Content = new StringContent("forged") };
        overwrite.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var refused = await http.SendAsync(overwrite, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_no_link_lives_longer_than_15_minutes()
    {
        await using var services = Services("idexpiry");
        var storage = services.GetRequiredService<PvpStorage>();
        await CreateAsTheTemplateDoesAsync(storage);
        var store = services.GetRequiredService<ReportStore>();
        var day = new DateOnly(2026, 11, 26);
        await store.PublishAsync(day, TestServices.ReportFolder(day), Ct);

        var link = await store.LinkAsync(day, "file1.csv", TimeSpan.FromSeconds(1), Ct);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        using var http = new HttpClient(azurite.Certificate.Handler());
        using var late = await http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.LinkAsync(day, "file1.csv", TimeSpan.FromMinutes(16), Ct)
        );
    }
}
