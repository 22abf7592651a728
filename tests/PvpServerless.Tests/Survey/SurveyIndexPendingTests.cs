using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Survey;
using PvpServerless.Tests.AzureDeployment;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Survey;

/// <summary>
/// The survey post's status-index sync, taken off its path (docs/storage.md, "Index pending"). Over the core services
/// alone no drain runs: exactly what a crash right after the answer's transaction leaves behind.
/// </summary>
public sealed class SurveyIndexPendingTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly StorageRequestCounter _requests = new();
    private readonly string _prefix = azurite.NewPrefix();

    private ServiceProvider Services() =>
        TestServices.Build(
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage:NamePrefix"] = _prefix,
                ["FollowUp:TokenKey"] = HostFixture.TokenKey,
            },
            clients => clients.ConfigureDefaults(o => o.AddPolicy(_requests, HttpPipelinePosition.PerRetry))
        );

    [Fact]
    public async Task An_answer_whose_sync_never_ran_leaves_a_pending_row_that_the_sweep_finishes()
    {
        await using var services = Services();
        var storage = services.GetRequiredService<PvpStorage>();
        await storage.EnsureCreatedAsync(Ct);
        var request = JsonSerializer.Deserialize<EnrolmentRequest>(
            JsonSerializer.Serialize(Enrolments.Valid()),
            Answers.Json
        )!;
        var created = await services.GetRequiredService<EnrolmentService>().EnrolAsync(request, new("test"), Ct);
        var studyId = Assert.IsType<EnrolmentResult.Created>(created).Patient.StudyId;
        var token = SurveyToken.New();
        await services
            .GetRequiredService<TokenStore>()
            .CreateAsync(token, new SurveyGrant(studyId, Wave.Baseline, new DateOnly(2099, 12, 31)), Ct);
        var check = services.GetRequiredService<StatusIndexCheck>();
        Assert.True((await check.RunAsync(repair: false, Ct)).Consistent);

        _requests.Clear();
        var outcome = await services.GetRequiredService<SurveyService>().SubmitAsync(Post(token), Ct);

        // The post's whole path: the link, the patient and the wave, one transaction. Nothing of the index.
        Assert.Equal(new SurveyOutcome.Received(Language.Da), outcome);
        Assert.Equal(
            [$"GET {_prefix}Patients", $"GET {_prefix}Patients", $"GET {_prefix}Tokens", "POST $batch"],
            _requests
                .Requests.Select(r => r.Method + " " + r.Uri.AbsolutePath.Split('/')[2].Split('(')[0])
                .Order(StringComparer.Ordinal)
        );
        var pending = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            StudyIds.Key(studyId),
            "index|baseline",
            cancellationToken: Ct
        );
        Assert.True(pending.HasValue);
        // The answered baseline's entry is stale until the sync runs: the one wave the answer changed.
        var before = await check.RunAsync(repair: false, Ct);
        Assert.Equal((0, 1, 0), (before.Missing, before.Stale, before.Orphaned));

        var finished = await services.GetRequiredService<StatusIndexBacklog>().SweepAsync(Ct);

        Assert.Equal(1, finished);
        var after = await check.RunAsync(repair: false, Ct);
        Assert.True(after.Consistent, after.ToString());
        var gone = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            StudyIds.Key(studyId),
            "index|baseline",
            cancellationToken: Ct
        );
        Assert.False(gone.HasValue);
        // A second sweep finds nothing left to do.
        Assert.Equal(0, await services.GetRequiredService<StatusIndexBacklog>().SweepAsync(Ct));
    }

    private static SurveyPost Post(SurveyToken token) =>
        new(
            token.Value,
            Language.Da,
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
