using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Analysis.Export;

/// <summary>One response with its scores: a row of scores.csv.</summary>
public sealed record ScoreRow(CohortPatient Patient, WaveResponse Response, WaveScores Scores);

/// <summary>scores.csv: one row per patient and answered wave, with the answers and the scores from them.</summary>
internal static class ScoresTable
{
    public static CsvTable<ScoreRow> Definition(string eq5dVersion, string valueSet)
    {
        var levels = eq5dVersion == "3L" ? "1–3" : "1–5";
        var columns = new List<CsvColumn<ScoreRow>>
        {
            Col.Of<ScoreRow>("studyId", "string", "Pseudonymous patient id", r => r.Patient.StudyId),
            Col.Of<ScoreRow>("wave", "string", "Questionnaire wave: baseline, 3m or 1y", r => r.Response.Wave.Code()),
            Col.Of<ScoreRow>(
                "procedureDate",
                "date",
                "Day of vertebroplasty (yyyy-MM-dd)",
                r => r.Patient.ProcedureDate
            ),
            Col.Of<ScoreRow>(
                "completedAt",
                "datetime",
                "When the questionnaire was completed (UTC, ISO 8601)",
                r => r.Response.CompletedAt
            ),
            Col.Of<ScoreRow>(
                "day",
                "integer",
                "UTC date of completedAt minus procedureDate, in days (may be negative at baseline)",
                r =>
                    DateOnly.FromDateTime(r.Response.CompletedAt.UtcDateTime).DayNumber
                    - r.Patient.ProcedureDate.DayNumber
            ),
            Col.Of<ScoreRow>(
                "eq5dMobility",
                "integer",
                $"EQ-5D-{eq5dVersion} mobility level ({levels})",
                r => r.Response.Eq5d?.Mobility
            ),
            Col.Of<ScoreRow>(
                "eq5dSelfCare",
                "integer",
                $"EQ-5D-{eq5dVersion} self-care level ({levels})",
                r => r.Response.Eq5d?.SelfCare
            ),
            Col.Of<ScoreRow>(
                "eq5dUsualActivities",
                "integer",
                $"EQ-5D-{eq5dVersion} usual activities level ({levels})",
                r => r.Response.Eq5d?.UsualActivities
            ),
            Col.Of<ScoreRow>(
                "eq5dPain",
                "integer",
                $"EQ-5D-{eq5dVersion} pain/discomfort level ({levels})",
                r => r.Response.Eq5d?.Pain
            ),
            Col.Of<ScoreRow>(
                "eq5dAnxiety",
                "integer",
                $"EQ-5D-{eq5dVersion} anxiety/depression level ({levels})",
                r => r.Response.Eq5d?.Anxiety
            ),
            Col.Of<ScoreRow>(
                "eq5dIndex",
                "number",
                $"EQ-5D index, {valueSet} value set; empty unless all five levels answered",
                r => r.Scores.Eq5dIndex
            ),
            Col.Of<ScoreRow>("eqVas", "integer", "EQ VAS, 0–100", r => r.Response.Eq5d?.Vas),
        };
        for (var i = 0; i < 10; i++)
        {
            var section = i;
            columns.Add(
                Col.Of<ScoreRow>(
                    $"odi{i + 1}",
                    "integer",
                    $"ODI 2.1a section {i + 1}, 0–5" + (i == 0 ? " (pain intensity)" : ""),
                    r => r.Response.Odi is { Count: 10 } odi ? odi[section] : null
                )
            );
        }
        columns.Add(
            Col.Of<ScoreRow>(
                "odiScore",
                "number",
                "ODI score 0–100: 100 × sum / (5 × answered); empty when fewer than 8 sections answered",
                r => r.Scores.Odi
            )
        );
        columns.Add(
            Col.Of<ScoreRow>(
                "painItem",
                "integer",
                "The pain item used by the seed paper: ODI section 1 (0–5)",
                r => r.Scores.Pain
            )
        );
        return new CsvTable<ScoreRow>("scores.csv", "One row per patient and answered wave", columns);
    }

    public static IEnumerable<ScoreRow> Rows(IReadOnlyList<PatientScores> scores) =>
        scores
            .OrderBy(s => s.Patient.StudyId, StringComparer.Ordinal)
            .SelectMany(s =>
                s.Patient.Responses.OrderBy(r => r.Wave).Select(r => new ScoreRow(s.Patient, r, s.At(r.Wave)!))
            );
}
