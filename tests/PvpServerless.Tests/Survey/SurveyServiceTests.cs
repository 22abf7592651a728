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

    private readonly SurveyServiceWorld _world = new(azurite);

    /// <summary>Each storage request of <paramref name="operation"/> as method and table, in a stable order.</summary>
    private async Task<List<string>> RequestsOf(Func<Task> operation)
    {
        _world.Requests.Clear();
        await operation();
        return _world.Counted();
    }

    [Fact]
    public async Task An_unknown_or_malformed_link_costs_the_same_storage_requests_as_a_known_one()
    {
        await using var services = _world.Services();
        var (_, token) = await SurveyServiceWorld.InvitedAsync(services);
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
        var prefix = _world.Prefix;
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
        await using var services = _world.Services();
        var survey = services.GetRequiredService<SurveyService>();
        var (_, first) = await SurveyServiceWorld.InvitedAsync(services);
        await survey.SubmitAsync(SurveyServiceWorld.Post(first, Language.Da), Ct); // warm
        var (_, named) = await SurveyServiceWorld.InvitedAsync(services);
        var (_, unnamed) = await SurveyServiceWorld.InvitedAsync(services);

        SurveyOutcome? a = null,
            b = null;
        var toNamed = SurveyServiceWorld.Post(named, Language.En);
        var toUnnamed = SurveyServiceWorld.Post(unnamed, null);
        var namedRequests = await RequestsOf(async () => a = await survey.SubmitAsync(toNamed, Ct));
        var unnamedRequests = await RequestsOf(async () => b = await survey.SubmitAsync(toUnnamed, Ct));

        // Our form posts to ?lang=: the token's row, the patient and the wave, then the one transaction (and after
        // it the status index's own requests, docs/storage.md, which are the same for both posts).
        Assert.Equal(new SurveyOutcome.Received(Language.En), a);
        Assert.Single(namedRequests, $"GET {_world.Prefix}Tokens");
        Assert.DoesNotContain($"GET {_world.Prefix}Contacts", namedRequests);
        Assert.Contains("POST $batch", namedRequests);
        // Without a language the contact's decides the thank-you page's.
        Assert.IsType<SurveyOutcome.Received>(b);
        var contacts = $"GET {_world.Prefix}Contacts";
        Assert.Equal(namedRequests.Append(contacts).Order(StringComparer.Ordinal), unnamedRequests);
    }

    [Fact]
    public async Task An_answer_read_before_a_death_was_recorded_cannot_be_written_after_it()
    {
        await using var services = _world.Services();
        var (studyId, token) = await SurveyServiceWorld.InvitedAsync(services);
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
        var post = SurveyServiceWorld.Post(token, null);
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
