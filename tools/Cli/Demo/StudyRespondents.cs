using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PvpServerless.Domain;

namespace PvpServerless.Cli.Demo;

/// <summary>What the simulated patients did on the survey pages.</summary>
/// <param name="Stored">Answers the page took (200, the thank-you page).</param>
/// <param name="Corrected">Of those, answers first sent with an item left out: the page said which (422).</param>
/// <param name="Closed">Links found no longer open when the patient came (404 or 410), e.g. after a death.</param>
public sealed record WebAnswers(int Stored, int Corrected, int Closed);

/// <summary>
/// The study's patients as respondents. Each one, at enrolment, is given how ill they are and, per wave, whether they
/// will answer and after which e-mail (seeded, so every demo gives the same study): of those invited, about
/// <see cref="Shares"/> answer; of those, half after the invitation (most that day, some up to 3 days later), 3 in 10
/// after the first reminder and 2 in 10 after the second (that day or the next). When their e-mail is in the outbox
/// (read through <c>GET /api/outbox</c>), they follow its link at some hour of the planned day and answer the page as
/// <see cref="SurveyBrowser"/> does; 1 in 10 first leaves an item out and answers again where the page says.
/// </summary>
public sealed class StudyRespondents(StudyHost host, ClinicClock clinic) : IDisposable
{
    /// <summary>The share of invited patients who answer, per wave: fewer as the illness goes on.</summary>
    public static readonly IReadOnlyDictionary<Wave, double> Shares = new Dictionary<Wave, double>
    {
        [Wave.Baseline] = 0.6,
        [Wave.ThreeMonths] = 0.5,
        [Wave.OneYear] = 0.4,
    };

    // Of those who answer: after the invitation, after the first reminder, after the second.
    private static readonly double[] AfterEmail = [0.5, 0.3, 0.2];

    private readonly Random _random = new(10);
    private readonly Dictionary<string, Respondent> _respondents = [];
    private readonly List<Visit> _visits = [];
    private readonly HttpClient _http = new();
    private int _stored;
    private int _corrected;
    private int _closed;

    public WebAnswers Answers => new(_stored, _corrected, _closed);

    /// <summary>
    /// How ill a patient is at each wave (0 none to 1 worst), whether they skip optional items, and per wave after
    /// which e-mail they answer (0 the invitation, 1 or 2 a reminder; null never).
    /// </summary>
    private sealed record Respondent(
        IReadOnlyDictionary<Wave, double> Severity,
        bool SkipsOptional,
        int?[] AnswerAfter
    );

    private sealed record Visit(DateTimeOffset At, string StudyId, Wave Wave, Uri Link);

    public void Enrolled(string studyId)
    {
        // Painful fractures at baseline; vertebroplasty relieves most by 3 months; the cancer may take some back.
        var baseline = 0.45 + 0.45 * _random.NextDouble();
        var threeMonths = baseline * (0.45 + 0.4 * _random.NextDouble());
        var oneYear = Math.Min(1, threeMonths * (0.85 + 0.35 * _random.NextDouble()));
        var plans = Waves.All.Select(w => _random.NextDouble() < Shares[w] ? Pick(AfterEmail) : (int?)null).ToArray();
        _respondents[studyId] = new Respondent(
            new Dictionary<Wave, double>
            {
                [Wave.Baseline] = baseline,
                [Wave.ThreeMonths] = threeMonths,
                [Wave.OneYear] = oneYear,
            },
            _random.NextDouble() < 0.35,
            plans
        );
    }

    /// <summary>
    /// Reads the <paramref name="sent"/> e-mails sent on <paramref name="day"/> from the outbox (newest first) and
    /// plans a visit for each patient who answers after that one.
    /// </summary>
    public async Task ReadMailAsync(DateOnly day, int sent, CancellationToken cancellationToken)
    {
        if (sent == 0)
            return;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Url, $"/api/outbox?take={sent}"));
        request.Headers.Add("x-functions-key", host.MasterKey);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var list = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var mail = list.GetProperty("items")
            .EnumerateArray()
            .Where(m => m.GetProperty("queuedAt").GetDateTimeOffset() >= clinic.StartOf(day))
            .Select(m =>
                (
                    StudyId: m.GetProperty("to").GetString()!.Split('@')[0].ToUpperInvariant(),
                    Wave: m.GetProperty("wave").GetString()!,
                    Reminder: m.GetProperty("reminder").GetInt32(),
                    Link: new Uri(m.GetProperty("links")[0].GetString()!)
                )
            )
            .OrderBy(m => m.StudyId, StringComparer.Ordinal)
            .ThenBy(m => m.Wave, StringComparer.Ordinal);
        foreach (var (studyId, code, reminder, link) in mail)
        {
            if (!_respondents.TryGetValue(studyId, out var respondent) || !Waves.TryParse(code, out var wave))
                continue;
            if (respondent.AnswerAfter[(int)wave] != reminder)
                continue;
            // After the invitation most answer that day, some within 3 days; a reminder is answered that day or next.
            var lag = reminder == 0 ? Pick([0.55, 0.2, 0.15, 0.1]) : Pick([0.7, 0.3]);
            var at = clinic.StartOf(day.AddDays(lag)).AddHours(10 + _random.Next(12)).AddMinutes(_random.Next(60));
            _visits.Add(new Visit(at, studyId, wave, link));
        }
    }

    /// <summary>The visits planned for <paramref name="day"/>, in order, each at its hour of the moved clock.</summary>
    public async Task AnswerAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var end = clinic.EndOf(day);
        var due = _visits.Where(v => v.At < end).OrderBy(v => v.At).ThenBy(v => v.StudyId, StringComparer.Ordinal);
        foreach (var visit in due.ToList())
        {
            host.Clock.Set(visit.At);
            await VisitAsync(visit, cancellationToken);
            _visits.Remove(visit);
        }
    }

    private async Task VisitAsync(Visit visit, CancellationToken cancellationToken)
    {
        var browser = new SurveyBrowser(_http);
        var page = await browser.OpenAsync(visit.Link, cancellationToken);
        if (page.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            _closed++;
            return;
        }
        var form = Expect(page, HttpStatusCode.OK);
        var respondent = _respondents[visit.StudyId];
        var answers = Fill(form, respondent.Severity[visit.Wave], respondent.SkipsOptional);
        if (_random.Next(10) == 0)
        {
            var required = answers.Where(a => form.Items.Any(i => i.Name == a.Key && !i.Optional)).ToList();
            var left = required[_random.Next(required.Count)];
            var again = await browser.SubmitAsync(form, answers.Where(a => a.Key != left.Key), cancellationToken);
            form = Expect(again, HttpStatusCode.UnprocessableEntity);
            _corrected++;
        }
        var done = await browser.SubmitAsync(form, answers, cancellationToken);
        if (done.Status != HttpStatusCode.OK || done.Form is not null)
            throw Unexpected(done);
        _stored++;
    }

    /// <summary>
    /// Answers that fit how ill the patient is: each item's choice (listed from best to worst, as both instruments
    /// list them) near that share of the way down, with some scatter; the VAS high when well.
    /// </summary>
    private List<KeyValuePair<string, string>> Fill(SurveyForm form, double severity, bool skipsOptional)
    {
        var answers = new List<KeyValuePair<string, string>>();
        foreach (var item in form.Items.Where(i => !(i.Optional && skipsOptional)))
        {
            var scatter = _random.NextDouble() + _random.NextDouble() - 1;
            if (item.Choices.Count == 0)
            {
                var vas = Math.Clamp((int)Math.Round(100 - 75 * severity + 12 * scatter), 0, 100);
                answers.Add(new(item.Name, vas.ToString(CultureInfo.InvariantCulture)));
                continue;
            }
            var last = item.Choices.Count - 1;
            var index = Math.Clamp((int)Math.Round(severity * last + 0.9 * scatter), 0, last);
            answers.Add(new(item.Name, item.Choices[index]));
        }
        return answers;
    }

    private int Pick(double[] shares)
    {
        var u = _random.NextDouble();
        for (var i = 0; i < shares.Length - 1; i++)
        {
            if ((u -= shares[i]) < 0)
                return i;
        }
        return shares.Length - 1;
    }

    private static SurveyForm Expect(SurveyPage page, HttpStatusCode status) =>
        page.Status == status && page.Form is { } form ? form : throw Unexpected(page);

    private static InvalidOperationException Unexpected(SurveyPage page) =>
        new($"the survey page {page.Address.AbsolutePath[..12]}… answered {(int)page.Status} unexpectedly.");

    public void Dispose() => _http.Dispose();
}
