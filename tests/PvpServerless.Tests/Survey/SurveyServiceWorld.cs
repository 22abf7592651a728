using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Survey;
using PvpServerless.Tests.AzureDeployment;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Survey;

/// <summary>
/// The survey service through the core services over Azurite, without a host, for the tests that stand between its
/// reads and writes and count its storage requests (SurveyServiceTests, SurveyIndexPendingTests).
/// </summary>
public sealed class SurveyServiceWorld(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every storage request the services send, retries included.</summary>
    public StorageRequestCounter Requests { get; } = new();

    public string Prefix { get; } = azurite.NewPrefix();

    public ServiceProvider Services() =>
        TestServices.Build(
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage:NamePrefix"] = Prefix,
                ["FollowUp:TokenKey"] = HostFixture.TokenKey,
            },
            clients => clients.ConfigureDefaults(o => o.AddPolicy(Requests, HttpPipelinePosition.PerRetry))
        );

    /// <summary>Each storage request counted so far as method and table, in a stable order.</summary>
    public List<string> Counted() =>
        Requests
            .Requests.Select(r => r.Method + " " + r.Uri.AbsolutePath.Split('/')[2].Split('(')[0])
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// An enrolled patient (the valid enrolment's procedure, 2025-03-31) with a baseline link open until 2099; the
    /// tables made first when they are not there yet.
    /// </summary>
    public static async Task<(string StudyId, SurveyToken Token)> InvitedAsync(
        ServiceProvider services,
        string? studyId = null
    )
    {
        await services.GetRequiredService<PvpStorage>().EnsureCreatedAsync(Ct);
        var request = JsonSerializer.Deserialize<EnrolmentRequest>(
            JsonSerializer.Serialize(Enrolments.Valid(studyId)),
            Answers.Json
        )!;
        var created = await services.GetRequiredService<EnrolmentService>().EnrolAsync(request, new("test"), Ct);
        var enrolled = Assert.IsType<EnrolmentResult.Created>(created).Patient.StudyId;
        var token = SurveyToken.New();
        var grant = new SurveyGrant(enrolled, Wave.Baseline, new DateOnly(2099, 12, 31));
        await services.GetRequiredService<TokenStore>().CreateAsync(token, grant, Ct);
        return (enrolled, token);
    }

    /// <summary>Our form, answered in full, as a browser posts it to <c>/api/survey/{token}[?lang=]</c>.</summary>
    public static SurveyPost Post(SurveyToken token, Language? language) =>
        new(
            token.Value,
            language,
            new Uri("http://127.0.0.1:7071/api/survey/" + token.Value),
            null,
            null,
            "application/x-www-form-urlencoded",
            Encoding.ASCII.GetBytes(
                $"check={SurveyClient.CheckFor(token)}&"
                    + string.Join("&", SurveyClient.Complete().Select(a => $"{a.Key}={a.Value}"))
            )
        );
}
