using System.Text;
using PvpServerless.Cohort;
using PvpServerless.Questionnaires;

namespace PvpServerless.Analysis.Export;

/// <summary>A file of the outcome export: its name and bytes.</summary>
public sealed record OutcomeFile(string Name, byte[] Content);

/// <summary>
/// Everything a researcher downloads besides the cohort: outcomes.json, the CSV files (scores and each result
/// table) and data-dictionary.csv describing every column. Built in memory, so a caller writes all or nothing; the
/// command line and the nightly function both call <see cref="Write"/>.
/// </summary>
public static class OutcomeFiles
{
    public const string OutcomesJsonName = "outcomes.json";
    public const string DictionaryName = "data-dictionary.csv";

    /// <param name="scores">
    /// The scores the outcomes were computed from (<see cref="OutcomeAnalysis.Score(CohortDocument)"/>).
    /// </param>
    public static IReadOnlyList<OutcomeFile> Write(
        CohortDocument cohort,
        Outcomes outcomes,
        IReadOnlyList<PatientScores> scores
    )
    {
        var scoreTable = ScoresTable.Definition(cohort.Eq5d.Version, cohort.Eq5d.ValueSet);
        var files = new List<OutcomeFile>
        {
            new(OutcomesJsonName, OutcomesJson.Serialize(outcomes)),
            new(scoreTable.FileName, scoreTable.Write(ScoresTable.Rows(scores))),
            new(Table1Table.Definition.FileName, Table1Table.Definition.Write(Table1Table.Rows(outcomes.Table1))),
            new(ResultTables.Comparisons.FileName, ResultTables.Comparisons.Write(outcomes.Comparisons)),
            new(ResultTables.Pain.FileName, ResultTables.Pain.Write(outcomes.Pain)),
            new(
                ResultTables.Leakage.FileName,
                ResultTables.Leakage.Write(ResultTables.LeakageRows(outcomes.LeakageByWallDefect))
            ),
            new(ResultTables.Responders.FileName, ResultTables.Responders.Write(outcomes.Responders)),
            new(ResultTables.Attrition.FileName, ResultTables.Attrition.Write(outcomes.Attrition)),
            new(ResultTables.FollowUp.FileName, ResultTables.FollowUp.Write(outcomes.FollowUp)),
            new(
                ResultTables.KaplanMeierSteps.FileName,
                ResultTables.KaplanMeierSteps.Write(outcomes.KaplanMeier.Steps)
            ),
            new(
                ResultTables.KaplanMeierSummary.FileName,
                ResultTables.KaplanMeierSummary.Write([outcomes.KaplanMeier])
            ),
        };
        IEnumerable<DictionaryEntry> entries =
        [
            .. scoreTable.Dictionary(),
            .. Table1Table.Definition.Dictionary(),
            .. ResultTables.Comparisons.Dictionary(),
            .. ResultTables.Pain.Dictionary(),
            .. ResultTables.Leakage.Dictionary(),
            .. ResultTables.Responders.Dictionary(),
            .. ResultTables.Attrition.Dictionary(),
            .. ResultTables.FollowUp.Dictionary(),
            .. ResultTables.KaplanMeierSteps.Dictionary(),
            .. ResultTables.KaplanMeierSummary.Dictionary(),
            .. Dictionary.Dictionary(),
        ];
        files.Add(new OutcomeFile(DictionaryName, Dictionary.Write(entries)));
        return files;
    }

    private static readonly CsvTable<DictionaryEntry> Dictionary = new(
        DictionaryName,
        "Every column of every CSV file",
        [
            Col.Of<DictionaryEntry>("file", "string", "CSV file", e => e.File),
            Col.Of<DictionaryEntry>("column", "string", "Column name", e => e.Column),
            Col.Of<DictionaryEntry>(
                "type",
                "string",
                "string, integer, number, 0/1, date or datetime; empty cell = missing; a string that starts with =, +, "
                    + "-, @, tab or CR is written with a ' in front so that a spreadsheet shows it as text",
                e => e.Type
            ),
            Col.Of<DictionaryEntry>("description", "string", "Meaning", e => e.Description),
        ]
    );

    /// <summary>Text of a file, for tests and logs.</summary>
    public static string Text(this OutcomeFile file) => Encoding.UTF8.GetString(file.Content);
}
