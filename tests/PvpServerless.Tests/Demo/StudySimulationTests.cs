using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Cli.Demo;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Demo;

/// <summary>
/// The local host with the demo's moved clock, links that point at itself, and the demo's synthetic study run on it
/// once (shorter than the demo's: 40 patients over 4 months, so the baseline and 3-month waves).
/// </summary>
public sealed class StudyHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    public const int Patients = 40;
    public const int Months = 4;

    private readonly StudyClock _clock = new();
    private Task<StudyResult>? _study;

    protected override TimeProvider? Clock => _clock;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?> { ["Clinic:PublicBaseUrl"] = Url + "/api" };

    /// <summary>The clinic's today when the study ran: its last simulated day, the export's cut-off.</summary>
    public DateOnly Today { get; private set; }

    public PvpStorage Storage =>
        new(Options.Create(new StorageOptions { ConnectionString = ConnectionString, NamePrefix = Prefix }));

    public Task<StudyResult> StudyAsync() => _study ??= RunAsync();

    private Task<StudyResult> RunAsync()
    {
        var copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");
        Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, copenhagen).DateTime);
        var host = new StudyHost(Services, new Uri(Url), MasterKey, FunctionKey, _clock);
        return new StudySimulation(host).RunAsync(Patients, Months, _ => { }, CancellationToken.None);
    }
}

/// <summary>
/// The demo's patients answer through the survey pages, and what the demo prints is what the API then shows. The
/// expectations are read back here through <c>GET /api/patients/{studyId}</c>, the outbox's blobs and the patients'
/// rows, and counted with the definitions of docs/outcomes.md written out again — never with the demo's own tally.
/// </summary>
public sealed partial class StudySimulationTests(StudyHostFixture host) : IClassFixture<StudyHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] WaveCodes = ["baseline", "3m", "1y"];

    private sealed record WaveView(
        string Wave,
        DateOnly Due,
        string State,
        int Reminders,
        string? Source,
        JsonElement Scores
    );

    private sealed record PatientView(
        string StudyId,
        DateOnly? Death,
        DateOnly? Withdrawn,
        IReadOnlyList<WaveView> Waves
    );

    [GeneratedRegex(
        @"^\s+(?<wave>\S+)\s+answered\s+(?<a>\d+) of\s+(?<i>\d+) invited\s+(?<ai>[\d.]+ %|–)\s+"
            + @"report:\s+(?<r>\d+) of\s+(?<e>\d+) eligible\s+(?<re>[\d.]+ %|–)$",
        RegexOptions.Multiline
    )]
    private static partial Regex RateLine();

    [Fact]
    public async Task The_answers_went_through_the_pages_and_are_stored_as_web_answers_with_scores()
    {
        var study = await host.StudyAsync();
        var patients = await PatientsAsync();
        var answered = patients.SelectMany(p => p.Waves).Where(w => w.State == "answered").ToList();

        Assert.NotEmpty(answered);
        Assert.All(answered, w => Assert.Equal("web", w.Source));
        Assert.All(answered, w => Assert.Equal(JsonValueKind.Number, w.Scores.GetProperty("eq5dIndex").ValueKind));
        Assert.All(answered, w => Assert.Equal(JsonValueKind.Number, w.Scores.GetProperty("odi").ValueKind));
        // Every answer the pages took (200) is one answered wave, and nothing else answered a wave.
        Assert.Equal(study.Web.Stored, answered.Count);

        // The rows the page's post writes: the response with source web and its language, the patient's audit line.
        var responses = await RowsAsync("response|");
        Assert.Equal(answered.Count, responses.Count);
        Assert.All(responses, r => Assert.Equal("web", r.GetString("Source")));
        Assert.All(responses, r => Assert.Contains(r.GetString("Language"), new[] { "da", "en" }));
        var audit = (await RowsAsync("audit|")).Where(r => r.GetString("Action") == "response").ToList();
        Assert.Equal(answered.Count, audit.Count);
        Assert.All(audit, r => Assert.Equal("patient", r.GetString("Actor")));
        Assert.All(audit, r => Assert.Contains("\"source\":\"web\"", r.GetString("Details"), StringComparison.Ordinal));

        // Some answered on the invitation, some only after a reminder; some invited never did.
        Assert.Contains(answered, w => w.Reminders == 0);
        Assert.Contains(answered, w => w.Reminders > 0);
        Assert.Contains(patients.SelectMany(p => p.Waves), w => w.State == "expired");
    }

    [Fact]
    public async Task The_printed_rates_are_the_counts_read_back_through_the_api_and_the_outbox()
    {
        var study = await host.StudyAsync();
        var patients = await PatientsAsync();
        var invitations = await InvitationsAsync();
        var printed = StudyTally.Format(study);
        var lines = RateLine().Matches(printed).ToDictionary(m => m.Groups["wave"].Value);

        foreach (var code in WaveCodes)
        {
            var waves = patients.Select(p => (Patient: p, Wave: p.Waves.Single(w => w.Wave == code))).ToList();
            var answered = waves.Count(w => w.Wave.State == "answered");
            var invited = invitations.GetValueOrDefault(code);
            // docs/outcomes.md, followUp[]: due by the cut-off, neither dead nor withdrawn before the due date.
            var eligible = waves
                .Where(w => w.Wave.Due <= host.Today)
                .Where(w => !(w.Patient.Death < w.Wave.Due) && !(w.Patient.Withdrawn < w.Wave.Due))
                .ToList();
            var responded = eligible.Count(w => w.Wave.State == "answered");

            var line = lines[code];
            Assert.Equal(answered, int.Parse(line.Groups["a"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(invited, int.Parse(line.Groups["i"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(responded, int.Parse(line.Groups["r"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(eligible.Count, int.Parse(line.Groups["e"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(Percent(answered, invited), line.Groups["ai"].Value);
            Assert.Equal(Percent(responded, eligible.Count), line.Groups["re"].Value);
        }
        // A 4-month study: every baseline invited, some 3-month waves answered, no one-year wave yet.
        Assert.Equal(StudyHostFixture.Patients, invitations["baseline"]);
        Assert.True(invitations.GetValueOrDefault("3m") > 0, printed);
        Assert.Equal(0, invitations.GetValueOrDefault("1y"));
    }

    [Fact]
    public async Task The_answers_fit_the_patients_better_at_three_months_than_at_baseline()
    {
        await host.StudyAsync();
        var waves = (await PatientsAsync()).SelectMany(p => p.Waves).Where(w => w.State == "answered").ToList();
        double Mean(string wave, string score) =>
            waves.Where(w => w.Wave == wave).Average(w => w.Scores.GetProperty(score).GetDouble());

        Assert.Contains(waves, w => w.Wave == "3m");
        // Vertebroplasty relieves the pain: ODI falls, the EQ-5D index and the VAS rise.
        Assert.True(Mean("baseline", "odi") > Mean("3m", "odi") + 10);
        Assert.True(Mean("baseline", "eq5dIndex") < Mean("3m", "eq5dIndex"));
        Assert.True(Mean("baseline", "eqVas") < Mean("3m", "eqVas"));
        // Most answers at the share the demo states: about 60 % of the baseline invitations.
        var baseline = waves.Count(w => w.Wave == "baseline");
        Assert.InRange(baseline, StudyHostFixture.Patients * 0.35, StudyHostFixture.Patients * 0.85);
    }

    private static string Percent(int part, int whole) =>
        whole == 0 ? "–" : (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private async Task<List<PatientView>> PatientsAsync()
    {
        var patients = new List<PatientView>();
        for (var i = 1; i <= StudyHostFixture.Patients; i++)
        {
            var json = await host.Client.GetFromJsonAsync<JsonElement>($"/api/patients/STUDY-{i:D4}", Ct);
            var waves = json.GetProperty("waves")
                .EnumerateArray()
                .Select(w =>
                {
                    var f = w.GetProperty("followUp");
                    return new WaveView(
                        w.GetProperty("wave").GetString()!,
                        DateOnly.Parse(w.GetProperty("dueDate").GetString()!, CultureInfo.InvariantCulture),
                        f.GetProperty("state").GetString()!,
                        f.GetProperty("reminders").GetInt32(),
                        f.GetProperty("source").GetString(),
                        f.GetProperty("scores").Clone()
                    );
                })
                .ToList();
            patients.Add(
                new PatientView(
                    json.GetProperty("studyId").GetString()!,
                    Date(json, "deathDate"),
                    Date(json, "withdrawnDate"),
                    waves
                )
            );
        }
        return patients;
    }

    private static DateOnly? Date(JsonElement json, string name) =>
        json.GetProperty(name).GetString() is { } text ? DateOnly.Parse(text, CultureInfo.InvariantCulture) : null;

    /// <summary>Invitations per wave, as the outbox's blobs hold them (one JSON blob per e-mail sent).</summary>
    private async Task<Dictionary<string, int>> InvitationsAsync()
    {
        var counts = new Dictionary<string, int>();
        var outbox = host.Storage.Outbox;
        await foreach (var blob in outbox.GetBlobsAsync(cancellationToken: Ct))
        {
            var content = await outbox.GetBlobClient(blob.Name).DownloadContentAsync(Ct);
            using var mail = JsonDocument.Parse(content.Value.Content.ToMemory());
            if (mail.RootElement.GetProperty("kind").GetString() != "invitation")
                continue;
            var wave = mail.RootElement.GetProperty("wave").GetString()!;
            counts[wave] = counts.GetValueOrDefault(wave) + 1;
        }
        return counts;
    }

    private async Task<List<TableEntity>> RowsAsync(string prefix) =>
        await host
            .Storage.Patients.QueryAsync<TableEntity>(
                $"PartitionKey ge 'STUDY-' and PartitionKey lt 'STUDY.' and RowKey ge '{prefix}' "
                    + $"and RowKey lt '{prefix}~'",
                cancellationToken: Ct
            )
            .ToListAsync(Ct);
}
