using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PvpServerless.Tests.FollowUp;

namespace PvpServerless.Tests.Survey;

/// <summary>
/// Posting the questionnaire of a real invitation over the local host: stored once, scored, the wave answered and
/// the link closed; errors shown next to their items with every answer kept; double clicks, two tabs and a death
/// recorded at the same moment; the limits and defences of the post.
/// </summary>
public sealed class SurveySubmitTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private readonly SurveyClient _browser = new(host);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_complete_answer_is_stored_once_with_its_scores_and_the_link_then_says_already_received()
    {
        var token = await _browser.InvitedAsync("SRV-SUB-1", "en");
        var check = SurveyClient.CheckOf((await _browser.GetAsync(SurveyClient.PathOf(token))).Html);
        var before = DateTimeOffset.UtcNow;

        var thanks = await _browser.PostAsync(SurveyClient.PathOf(token), check, SurveyClient.Complete());

        Assert.Equal(HttpStatusCode.OK, thanks.Status);
        Assert.Contains("<h1>Thank you for your answers</h1>", thanks.Html, StringComparison.Ordinal);
        Assert.Equal("no-store", thanks.Header("Cache-Control"));
        var response = Assert.Single(await _browser.RowsAsync("SRV-SUB-1", "response|"));
        Assert.Equal("response|baseline", response.RowKey);
        Assert.Equal("web", response.GetString("Source"));
        Assert.Equal("en", response.GetString("Language"));
        Assert.Equal("eq5d-3l", response.GetString("Eq5dInstrument"));
        Assert.Equal("odi-2.1a", response.GetString("OdiInstrument"));
        Assert.Equal("plainLanguage,plainLanguage", response.GetString("Wording"));
        Assert.Equal("DK", response.GetString("ValueSet"));
        Assert.Equal(
            """{"mobility":1,"selfCare":2,"usualActivities":2,"pain":2,"anxiety":1,"vas":65}""",
            response.GetString("Eq5d")
        );
        Assert.Equal("[2,1,2,1,1,2,1,null,1,1]", response.GetString("Odi"));
        // EQ-5D-3L, Danish TTO value set (Wittrup-Jensen et al. 2009, value-sets.sources.md), state 12221:
        // 1 − 0.114 (some level above 1) − 0.063 (self-care 2) − 0.048 (usual activities 2) − 0.062 (pain 2) = 0.713.
        Assert.Equal(0.713, response.GetDouble("Eq5dIndex")!.Value, 9);
        Assert.Equal(65, response.GetInt32("EqVas"));
        // ODI 2.1a: 100 · sum / (5 · answered) = 100 · 12 / (5 · 9) with section 8 skipped: 26.67 %.
        Assert.Equal(100.0 * 12 / 45, response.GetDouble("OdiScore")!.Value, 9);
        Assert.Equal(2, response.GetInt32("OdiPain"));
        var completedAt = response.GetDateTimeOffset("CompletedAt")!.Value;
        Assert.InRange(completedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(completedAt, response.GetDateTimeOffset("ReceivedAt"));

        var wave = await host.WaveRowAsync("SRV-SUB-1", "baseline");
        Assert.Equal("answered", wave.GetString("State"));
        Assert.Equal(completedAt, wave.GetDateTimeOffset("AnsweredAt"));
        var audit = Assert.Single(await host.AuditAsync("SRV-SUB-1"), a => a.GetString("Action") == "response");
        Assert.Equal("patient", audit.GetString("Actor"));
        using (var details = JsonDocument.Parse(audit.GetString("Details")!))
        {
            Assert.Equal("baseline", details.RootElement.GetProperty("wave").GetString());
            Assert.Equal("web", details.RootElement.GetProperty("source").GetString());
        }

        // The link no longer opens the form, in the patient's language first; posting again stores nothing.
        var again = await _browser.GetAsync(SurveyClient.PathOf(token));
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Contains("<h1>We have already received your answers</h1>", again.Html, StringComparison.Ordinal);
        Assert.Contains("<h2>Vi har allerede fået dine svar</h2>", again.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", again.Html, StringComparison.Ordinal);
        var second = await _browser.PostAsync(SurveyClient.PathOf(token), check, SurveyClient.Complete());
        Assert.Equal(HttpStatusCode.Gone, second.Status);
        Assert.Contains("already received", second.Html, StringComparison.Ordinal);
        Assert.Single(await _browser.RowsAsync("SRV-SUB-1", "response|"));
        Assert.Single(await host.AuditAsync("SRV-SUB-1"), a => a.GetString("Action") == "response");

        // The opt-out link (the same token) still works: it is about later e-mails, not this questionnaire.
        Assert.Equal(HttpStatusCode.OK, (await _browser.GetAsync($"/api/survey/{token}/opt-out")).Status);

        // The coordinator's view shows the wave answered, from the web, with its scores.
        var patient = await host.Client.GetFromJsonAsync<JsonElement>("/api/patients/SRV-SUB-1", Ct);
        var baseline = patient.GetProperty("waves")[0];
        Assert.Equal("baseline", baseline.GetProperty("wave").GetString());
        var followUp = baseline.GetProperty("followUp");
        Assert.Equal("answered", followUp.GetProperty("state").GetString());
        Assert.Equal(completedAt, followUp.GetProperty("answeredAt").GetDateTimeOffset());
        Assert.Equal("web", followUp.GetProperty("source").GetString());
        var scores = followUp.GetProperty("scores");
        Assert.Equal(0.713, scores.GetProperty("eq5dIndex").GetDouble(), 9);
        Assert.Equal(65, scores.GetProperty("eqVas").GetInt32());
        Assert.Equal(100.0 * 12 / 45, scores.GetProperty("odi").GetDouble(), 9);
        Assert.Equal(2, scores.GetProperty("pain").GetInt32());
        var threeMonths = patient.GetProperty("waves")[1].GetProperty("followUp");
        Assert.Equal("scheduled", threeMonths.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, threeMonths.GetProperty("scores").ValueKind);
    }

    [Fact]
    public async Task A_wave_answered_on_paper_closes_its_link_as_already_received()
    {
        var token = await _browser.InvitedAsync("SRV-PAPER-1", "da");
        var paper = await host.PostJsonAsync(
            "/api/patients/SRV-PAPER-1/responses",
            new
            {
                wave = "baseline",
                completedAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("o"),
                odi = new int?[] { 3, 2, 2, 2, 1, 1, 1, null, 1, 1 },
            }
        );
        Assert.Equal(HttpStatusCode.Created, paper.StatusCode);

        var page = await _browser.GetAsync(SurveyClient.PathOf(token));

        Assert.Equal(HttpStatusCode.Gone, page.Status);
        Assert.Contains("<h1>Vi har allerede fået dine svar</h1>", page.Html, StringComparison.Ordinal);
        var patient = await host.Client.GetFromJsonAsync<JsonElement>("/api/patients/SRV-PAPER-1", Ct);
        var followUp = patient.GetProperty("waves")[0].GetProperty("followUp");
        Assert.Equal("answered", followUp.GetProperty("state").GetString());
        Assert.Equal("coordinator", followUp.GetProperty("source").GetString());
        // No EQ-5D on this paper form: no index; ODI 100 · 14 / (5 · 9).
        Assert.Equal(JsonValueKind.Null, followUp.GetProperty("scores").GetProperty("eq5dIndex").ValueKind);
        Assert.Equal(100.0 * 14 / 45, followUp.GetProperty("scores").GetProperty("odi").GetDouble(), 9);
    }

    [Fact]
    public async Task A_missing_item_gets_422_with_every_answer_kept_and_the_error_next_to_its_item()
    {
        var token = await _browser.InvitedAsync("SRV-422-1", "da");
        var answers = SurveyClient.Complete();
        answers.Remove("eq5d.pain");
        answers.Remove("odi.section4");
        answers["eq5d.vas"] = "101";

        var page = await _browser.AnswerAsync(token, answers);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.Equal("no-store", page.Header("Cache-Control"));
        var html = page.Html;
        Assert.Contains("<title>Fejl: Spørgeskema om dit helbred</title>", html, StringComparison.Ordinal);
        // The summary at the top names each problem and links to the item's first input.
        var summary = html[html.IndexOf("<div class=\"error-summary\"", StringComparison.Ordinal)..];
        summary = summary[..summary.IndexOf("</div>", StringComparison.Ordinal)];
        Assert.Contains("role=\"alert\"", summary, StringComparison.Ordinal);
        Assert.Contains("Du har svaret på 13 af 16 spørgsmål.", summary, StringComparison.Ordinal);
        Assert.Contains(
            "<li><a href=\"#eq5d-pain-1\">Smerter og ubehag: du mangler at svare.</a></li>",
            summary,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "<li><a href=\"#eq5d-vas\">Dit helbred i dag (0–100): skriv et helt tal fra 0 til 100.</a></li>",
            summary,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "<li><a href=\"#odi-section4-0\">At gå: du mangler at svare.</a></li>",
            summary,
            StringComparison.Ordinal
        );
        Assert.Equal(3, summary.Split("<li>").Length - 1);
        Assert.True(
            html.IndexOf("error-summary", StringComparison.Ordinal) < html.IndexOf("<form", StringComparison.Ordinal)
        );
        // Each error sits inside its item, tied to it; the others are not marked.
        Assert.Contains(
            "<div class=\"item item-error\">\n<fieldset aria-describedby=\"eq5d-pain-error\">",
            html,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "<p class=\"error-message\" id=\"eq5d-pain-error\"><span class=\"visually-hidden\">Fejl: </span>"
                + "Smerter og ubehag: du mangler at svare.</p>",
            html,
            StringComparison.Ordinal
        );
        Assert.Contains("<fieldset aria-describedby=\"odi-section4-error\">", html, StringComparison.Ordinal);
        Assert.Contains(
            "aria-describedby=\"eq5d-vas-hint eq5d-vas-error\" aria-invalid=\"true\" value=\"101\"",
            html,
            StringComparison.Ordinal
        );
        Assert.Equal(3, html.Split("class=\"item item-error\"").Length - 1);
        // Every answer given is checked again (the VAS shows what was typed).
        foreach (var (field, value) in answers.Where(a => a.Key != "eq5d.vas"))
        {
            var id = field.Replace('.', '-') + "-" + value;
            Assert.Contains($"id=\"{id}\" name=\"{field}\" value=\"{value}\" checked>", html, StringComparison.Ordinal);
        }
        Assert.Equal(answers.Count - 1, html.Split(" checked>").Length - 1);
        Assert.Empty(await _browser.RowsAsync("SRV-422-1", "response|"));
        Assert.NotEqual("answered", (await host.WaveRowAsync("SRV-422-1", "baseline")).GetString("State"));

        // Fixed, the same page's form goes through.
        answers["eq5d.pain"] = "3";
        answers["odi.section4"] = "0";
        answers["eq5d.vas"] = "40";
        var fixedUp = await _browser.PostAsync(SurveyClient.PathOf(token), SurveyClient.CheckOf(html), answers);
        Assert.Equal(HttpStatusCode.OK, fixedUp.Status);
        Assert.Contains("<h1>Tak for dine svar</h1>", fixedUp.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_with_markup_is_shown_again_encoded()
    {
        var token = await _browser.InvitedAsync("SRV-XSS-1", "en");
        var answers = SurveyClient.Complete();
        answers["eq5d.vas"] = "\"><script>alert('x')</script>";

        var page = await _browser.AnswerAsync(token, answers);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(
            "value=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\">",
            page.Html,
            StringComparison.Ordinal
        );
        Assert.Empty(await _browser.RowsAsync("SRV-XSS-1", "response|"));
    }

    [Fact]
    public async Task A_double_click_and_parallel_posts_of_one_link_store_exactly_one_response()
    {
        var token = await _browser.InvitedAsync("SRV-PAR-1", "da");
        var page = await _browser.GetAsync(SurveyClient.PathOf(token));
        var check = SurveyClient.CheckOf(page.Html);

        var answers = await Task.WhenAll(
            Enumerable
                .Range(0, 12)
                .Select(_ =>
                    Task.Run(() => _browser.PostAsync(SurveyClient.PathOf(token), check, SurveyClient.Complete()), Ct)
                )
        );

        var statuses = answers.Select(a => a.Status).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(11, statuses.Count(s => s == HttpStatusCode.Gone));
        Assert.All(
            answers.Where(a => a.Status == HttpStatusCode.Gone),
            a => Assert.Contains("Vi har allerede fået dine svar", a.Html, StringComparison.Ordinal)
        );
        Assert.Single(await _browser.RowsAsync("SRV-PAR-1", "response|"));
        Assert.Single(await host.AuditAsync("SRV-PAR-1"), a => a.GetString("Action") == "response");
    }

    [Fact]
    public async Task A_death_recorded_first_closes_the_link_and_one_recorded_at_the_same_moment_never_races_past()
    {
        var token = await _browser.InvitedAsync("SRV-DEAD-1", "da");
        var page = await _browser.GetAsync(SurveyClient.PathOf(token));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var death = await host.PostJsonAsync("/api/patients/SRV-DEAD-1/events", new { type = "death", date = today });
        Assert.Equal(HttpStatusCode.Created, death.StatusCode);

        var late = await _browser.PostAsync(
            SurveyClient.PathOf(token),
            SurveyClient.CheckOf(page.Html),
            SurveyClient.Complete()
        );

        Assert.Equal(HttpStatusCode.Gone, late.Status);
        Assert.Contains("Dette link er ikke længere i brug", late.Html, StringComparison.Ordinal);
        Assert.Empty(await _browser.RowsAsync("SRV-DEAD-1", "response|"));
        Assert.Equal(HttpStatusCode.Gone, (await _browser.GetAsync(SurveyClient.PathOf(token))).Status);

        // At the same moment: whichever commits first, the other sees it. An answer stored means the death came
        // after it; an answer refused stored nothing. Never a 5xx, never a response beside a refusal.
        for (var i = 0; i < 4; i++)
        {
            var id = $"SRV-RACE-{i}";
            var raced = await _browser.InvitedAsync(id, "da");
            var check = SurveyClient.CheckOf((await _browser.GetAsync(SurveyClient.PathOf(raced))).Html);
            var answer = Task.Run(
                () => _browser.PostAsync(SurveyClient.PathOf(raced), check, SurveyClient.Complete()),
                Ct
            );
            var died = Task.Run(
                () => host.PostJsonAsync($"/api/patients/{id}/events", new { type = "death", date = today }),
                Ct
            );
            var (survey, recorded) = (await answer, await died);
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            var stored = await _browser.RowsAsync(id, "response|");
            Assert.True(
                (survey.Status == HttpStatusCode.OK && stored.Count == 1)
                    || (survey.Status == HttpStatusCode.Gone && stored.Count == 0),
                $"{id}: survey {survey.Status}, {stored.Count} responses stored"
            );
        }
    }
}
