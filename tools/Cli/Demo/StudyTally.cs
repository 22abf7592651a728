using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Analysis;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Storage;

namespace PvpServerless.Cli.Demo;

/// <summary>
/// Per wave, what the follow-up engine did over the simulated study, and who answered: <see cref="Answered"/> of the
/// <see cref="Invited"/>, and the nightly report's rate (docs/outcomes.md, <c>followUp[]</c>): <see cref="Responded"/>
/// of the <see cref="Eligible"/> (due by today, neither dead nor withdrawn before the due date).
/// </summary>
public sealed record WaveTally(
    Wave Wave,
    int Invited,
    int Reminders,
    int Expired,
    int Skipped,
    int Open,
    int Answered,
    int Eligible,
    int Responded
);

/// <summary>The study's outcome: its length, last day, tallies per wave and what happened on the pages.</summary>
public sealed record StudyResult(int Months, DateOnly LastDay, IReadOnlyList<WaveTally> Tallies, WebAnswers Web);

public static class StudyTally
{
    /// <summary>
    /// The study's wave rows (only its own patients: the seed cohort shares the tables), and the follow-up rates of the
    /// cohort the researcher API exports with today's cut-off, computed by the report's own analysis.
    /// </summary>
    public static async Task<IReadOnlyList<WaveTally>> ReadAsync(
        StudyHost host,
        DateOnly today,
        CancellationToken cancellationToken
    )
    {
        var storage = host.Services.GetRequiredService<PvpStorage>();
        var (from, to) = (StudySimulation.IdPrefix, StudySimulation.IdPrefix[..^1] + ".");
        var rows = await storage
            .Patients.QueryAsync<TableEntity>(
                $"PartitionKey ge '{from}' and PartitionKey lt '{to}' and RowKey ge 'wave|' and RowKey lt 'wave}}'",
                cancellationToken: cancellationToken
            )
            .ToListAsync(cancellationToken);
        var rates = await RatesAsync(host, today, cancellationToken);
        return Waves
            .All.Select(w =>
            {
                var mine = rows.Where(r => r.GetString("Wave") == w.Code()).ToList();
                int Count(string state) => mine.Count(r => r.GetString("State") == state);
                var rate = rates.Single(r => r.Wave == w.Code());
                return new WaveTally(
                    w,
                    mine.Count(r => r.GetString("InvitedOn") is not null),
                    mine.Sum(r => r.GetInt32("Reminders") ?? 0),
                    Count("expired"),
                    Count("skipped"),
                    Count("scheduled") + Count("invited") + Count("reminded"),
                    Count("answered"),
                    rate.Eligible,
                    rate.Responded
                );
            })
            .ToList();
    }

    private static async Task<IReadOnlyList<FollowUpRate>> RatesAsync(
        StudyHost host,
        DateOnly today,
        CancellationToken cancellationToken
    )
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri(host.Url, $"/api/exports/cohort.json?cutoff={Codes.Format(today)}")
        );
        request.Headers.Add("x-functions-key", host.ResearcherKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var cohort = CohortReader.Read(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        var study = cohort with
        {
            Patients =
            [
                .. cohort.Patients.Where(p => p.StudyId.StartsWith(StudySimulation.IdPrefix, StringComparison.Ordinal)),
            ],
        };
        var provenance = new Provenance(host.Clock.GetUtcNow(), "demo", "");
        return OutcomeAnalysis.Analyse(study, AnalysisOptions.Default, provenance).FollowUp;
    }

    public static string Format(StudyResult result)
    {
        static string Percent(int part, int whole) =>
            whole == 0 ? "–" : (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %";
        var counts = result.Tallies.Select(t =>
            string.Create(
                CultureInfo.InvariantCulture,
                $"  {t.Wave.Code(),-8}  invited {t.Invited,4}  reminders {t.Reminders,4}  expired "
                    + $"{t.Expired,4}  skipped {t.Skipped,3}  open {t.Open,3}"
            )
        );
        var rates = result.Tallies.Select(t =>
            string.Create(
                CultureInfo.InvariantCulture,
                $"  {t.Wave.Code(),-8}  answered {t.Answered,4} of {t.Invited,4} invited  "
                    + $"{Percent(t.Answered, t.Invited),7}   report: {t.Responded,4} of {t.Eligible,4} eligible  "
                    + $"{Percent(t.Responded, t.Eligible),7}"
            )
        );
        var shares = string.Join(" / ", StudyRespondents.Shares.Select(s => $"{s.Value * 100:F0} %"));
        var web = result.Web;
        return string.Join(
            Environment.NewLine,
            [
                $"Follow-up of the synthetic study ({result.Months} months, run day by day):",
                .. counts,
                $"Its patients answered on the survey pages (about {shares} of those invited were to answer):",
                .. rates,
                $"  {web.Stored} answers stored through GET and POST /api/survey/{{token}} ({web.Corrected} after the "
                    + $"page pointed at an item left out); {web.Closed} links found closed.",
            ]
        );
    }
}
