using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Storage;
using PvpServerless.Survey;
using PvpServerless.Tests.AzureDeployment;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Survey;

/// <summary>
/// The survey service through the core services over Azurite, where a test can stand between a read and a write and
/// count the storage requests: an unknown link costs what a known one costs, and an answer read before a death was
/// recorded cannot be written after it.
/// </summary>
public sealed class SurveyServiceTests(AzuriteFixture azurite)
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

    /// <summary>An enrolled patient (procedure 2025-03-31) with a baseline link open until 2099.</summary>
    private static async Task<(string StudyId, SurveyToken Token)> InvitedAsync(ServiceProvider services)
    {
        await services.GetRequiredService<PvpStorage>().EnsureCreatedAsync(Ct);
        var request = JsonSerializer.Deserialize<EnrolmentRequest>(
            JsonSerializer.Serialize(Enrolments.Valid()),
            Answers.Json
        )!;
        var created = await services.GetRequiredService<EnrolmentService>().EnrolAsync(request, new("test"), Ct);
        var studyId = Assert.IsType<EnrolmentResult.Created>(created).Patient.StudyId;
        var token = SurveyToken.New();
        var grant = new SurveyGrant(studyId, Wave.Baseline, new DateOnly(2099, 12, 31));
        await services.GetRequiredService<TokenStore>().CreateAsync(token, grant, Ct);
        return (studyId, token);
    }

    /// <summary>Each storage request of <paramref name="operation"/> as method and table, in a stable order.</summary>
    private async Task<List<string>> RequestsOf(Func<Task> operation)
    {
        _requests.Clear();
        await operation();
        return _requests
            .Requests.Select(r => r.Method + " " + r.Uri.AbsolutePath.Split('/')[2].Split('(')[0])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public async Task An_unknown_or_malformed_link_costs_the_same_storage_requests_as_a_known_one()
    {
        await using var services = Services();
        var (_, token) = await InvitedAsync(services);
        var survey = services.GetRequiredService<SurveyService>();
        var unknown = SurveyToken.New().Value;
        foreach (var link in new[] { token.Value, unknown, "short" })
            await survey.ShowAsync(link, null, Ct); // warm: connections, the value set, the instruments

        SurveyOutcome? known = null,
            missing = null,
            malformed = null;
        var knownRequests = await RequestsOf(async () => known = await survey.ShowAsync(token.Value, null, Ct));
        var unknownRequests = await RequestsOf(async () => missing = await survey.ShowAsync(unknown, null, Ct));
        var malformedRequests = await RequestsOf(async () => malformed = await survey.ShowAsync("short", null, Ct));

        Assert.IsType<SurveyOutcome.Form>(known);
        Assert.IsType<SurveyOutcome.NotFound>(missing);
        Assert.IsType<SurveyOutcome.NotFound>(malformed);
        // The token's row, the patient row, the wave row and the contact: the same four reads whatever the link.
        var prefix = _prefix;
        Assert.Equal(
            [$"GET {prefix}Contacts", $"GET {prefix}Patients", $"GET {prefix}Patients", $"GET {prefix}Tokens"],
            knownRequests
        );
        Assert.Equal(knownRequests, unknownRequests);
        Assert.Equal(knownRequests, malformedRequests);
    }

    [Fact]
    public async Task A_post_that_names_its_language_reads_no_contact_one_without_does()
    {
        await using var services = Services();
        var survey = services.GetRequiredService<SurveyService>();
        SurveyPost Post(SurveyToken token, Language? language) =>
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
        var (_, first) = await InvitedAsync(services);
        await survey.SubmitAsync(Post(first, Language.Da), Ct); // warm
        var (_, named) = await InvitedAsync(services);
        var (_, unnamed) = await InvitedAsync(services);

        SurveyOutcome? a = null,
            b = null;
        var namedRequests = await RequestsOf(async () => a = await survey.SubmitAsync(Post(named, Language.En), Ct));
        var unnamedRequests = await RequestsOf(async () => b = await survey.SubmitAsync(Post(unnamed, null), Ct));

        // Our form posts to ?lang=: the token's row, the patient and the wave, then the one transaction.
        Assert.Equal(new SurveyOutcome.Received(Language.En), a);
        Assert.Equal(
            [$"GET {_prefix}Patients", $"GET {_prefix}Patients", $"GET {_prefix}Tokens", "POST $batch"],
            namedRequests
        );
        // Without a language the contact's decides the thank-you page's.
        Assert.IsType<SurveyOutcome.Received>(b);
        Assert.Equal(namedRequests.Append($"GET {_prefix}Contacts").Order(StringComparer.Ordinal), unnamedRequests);
    }

    [Fact]
    public async Task An_answer_read_before_a_death_was_recorded_cannot_be_written_after_it()
    {
        await using var services = Services();
        var (studyId, token) = await InvitedAsync(services);
        var links = services.GetRequiredService<SurveyLinkReader>();
        var validator = services.GetRequiredService<ResponseValidator>();
        var today = services.GetRequiredService<ClinicClock>().Today();
        var answers = validator.Parse(
            SurveyClient.Complete().ToDictionary(a => a.Key, string? (a) => a.Value),
            Language.Da,
            requireAnswers: true
        );
        Assert.True(answers.IsValid);

        // The answer has read the link (open); then a coordinator records the death; then the answer writes.
        var link = await links.ReadAsync(token.Value, Ct);
        Assert.Equal(SurveyLinkState.Open, link.StateOn(today));
        var death = new PatientEventRequest("death", null, Codes.Format(today), null, null, null, null, null);
        Assert.IsType<EventResult.Applied>(
            await services.GetRequiredService<PatientEventService>().RecordAsync(studyId, death, new("test"), Ct)
        );
        var writer = services.GetRequiredService<SurveyResponseWriter>();
        var lost = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            writer.WriteAsync(link, answers, Language.Da, Ct)
        );
        Assert.Equal(412, lost.Status);

        // Read again, the service decides against the new record: nothing is stored.
        var post = new SurveyPost(
            token.Value,
            null,
            new Uri("http://127.0.0.1:7071/api/survey/" + token.Value),
            null,
            null,
            "application/x-www-form-urlencoded",
            Encoding.ASCII.GetBytes(
                $"check={SurveyClient.CheckFor(token)}&"
                    + string.Join("&", SurveyClient.Complete().Select(a => $"{a.Key}={a.Value}"))
            )
        );
        var outcome = await services.GetRequiredService<SurveyService>().SubmitAsync(post, Ct);
        Assert.IsType<SurveyOutcome.Gone>(outcome);
        var storage = services.GetRequiredService<PvpStorage>();
        var response = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            StudyIds.Key(studyId),
            "response|baseline",
            cancellationToken: Ct
        );
        Assert.False(response.HasValue);
    }
}
