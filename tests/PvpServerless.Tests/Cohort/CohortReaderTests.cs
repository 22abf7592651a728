using System.Text.Json.Nodes;
using PvpServerless.Cohort;

namespace PvpServerless.Tests.Cohort;

public class CohortReaderTests
{
    // Two valid patients; each test breaks one rule in a copy.
    internal const string Valid = """
        {
          "schemaVersion": 1, "cutoffDate": "2018-03-01", "eq5d": { "version": "3L", "valueSet": "DK" },
          "patients": [
            { "studyId": "PVP-0001", "sex": "M", "ageAtProcedure": 69, "primaryMalignancy": "multipleMyeloma",
              "diagnosisBasis": "histology", "procedureDate": "2014-03-02",
              "levels": [ { "level": "T12", "posteriorWallDefect": true, "cementLeakage": false },
                          { "level": "L1", "posteriorWallDefect": false, "cementLeakage": true,
                            "leakageSymptomatic": false } ],
              "complications": [ { "type": "pulmonaryEmbolism", "symptomatic": false } ],
              "deathDate": null, "withdrawnDate": null,
              "responses": [ { "wave": "baseline", "completedAt": "2014-03-01T10:12:00Z",
                               "eq5d": { "mobility": 2, "selfCare": 2, "usualActivities": 3, "pain": 3, "anxiety": 1,
                                         "vas": 40 },
                               "odi": [3, 2, 4, 2, 3, 3, 2, null, 3, 4] } ] },
            { "studyId": "PVP-0002", "sex": "F", "ageAtProcedure": 71, "primaryMalignancy": "lung",
              "diagnosisBasis": "mri", "procedureDate": "2017-06-01",
              "levels": [ { "level": "L2", "posteriorWallDefect": false, "cementLeakage": null } ],
              "complications": [], "deathDate": "2017-12-24", "withdrawnDate": null,
              "responses": [ { "wave": "baseline", "completedAt": "2017-05-30T08:00:00+02:00",
                               "eq5d": null, "odi": null },
                             { "wave": "3m", "completedAt": "2017-09-03T12:00:00Z",
                               "eq5d": { "mobility": 1, "selfCare": null, "usualActivities": 2, "pain": 2, "anxiety": 1,
                                         "vas": null },
                               "odi": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] } ] }
          ]
        }
        """;

    [Fact]
    public void Reads_a_valid_document()
    {
        var cohort = CohortReader.Read(Valid);
        Assert.Equal(2, cohort.Patients.Count);
        Assert.Equal(new DateOnly(2018, 3, 1), cohort.CutoffDate);
        var second = cohort.Patients[1];
        Assert.Equal(new DateOnly(2017, 12, 24), second.DeathDate);
        Assert.Null(second.Responses[0].Eq5d);
        Assert.Equal(new DateTimeOffset(2017, 5, 30, 6, 0, 0, TimeSpan.Zero), second.Responses[0].CompletedAt);
        Assert.Null(cohort.Patients[0].Responses[0].Odi![7]);
    }

    public static TheoryData<string, string, string> Broken() =>
        new()
        {
            {
                "$.patients[1].primaryMalignancy",
                "\"liver\"",
                "patients[1] (PVP-0002): primaryMalignancy 'liver' is not one of"
            },
            { "$.patients[0].sex", "\"X\"", "patients[0] (PVP-0001): sex 'X' is not one of M, F" },
            {
                "$.patients[0].levels[1].level",
                "\"T12\"",
                "patients[0] (PVP-0001): levels[1].level 'T12' is already levels[0]"
            },
            {
                "$.patients[0].levels[0].level",
                "\"T13\"",
                "patients[0] (PVP-0001): levels[0].level 'T13' is not a level"
            },
            {
                "$.patients[1].responses[1].completedAt",
                "\"2018-03-02T00:30:00+00:00\"",
                "patients[1] (PVP-0002): responses[1].completedAt 2018-03-02T00:30:00Z is after cutoffDate 2018-03-01"
            },
            {
                "$.patients[0].responses[0].odi",
                "[1,1,1,1,1,1,1,1,1,1,1]",
                "patients[0] (PVP-0001): responses[0].odi has 11 items; expected 10"
            },
            {
                "$.patients[0].responses[0].odi",
                "[1,1,1,1,1,1,1,1,1,6]",
                "patients[0] (PVP-0001): responses[0].odi[9] is 6; expected 0–5 or null"
            },
            {
                "$.patients[1].responses[1].wave",
                "\"baseline\"",
                "patients[1] (PVP-0002): responses[1].wave 'baseline' is already responses[0]"
            },
            {
                "$.patients[0].responses[0].eq5d.mobility",
                "4",
                "patients[0] (PVP-0001): responses[0].eq5d.mobility is 4; expected a level 1–3 or null"
            },
            {
                "$.patients[0].responses[0].eq5d.vas",
                "101",
                "patients[0] (PVP-0001): responses[0].eq5d.vas is 101; expected 0–100 or null"
            },
            {
                "$.patients[1].studyId",
                "\"PVP-0001\"",
                "patients[1] (PVP-0001): studyId 'PVP-0001' is already the studyId of patients[0]"
            },
            {
                "$.patients[1].procedureDate",
                "\"2017-02-30\"",
                "patients[1] (PVP-0002): procedureDate \"2017-02-30\" is not a date (yyyy-MM-dd)"
            },
            {
                "$.patients[1].deathDate",
                "\"2017-05-01\"",
                "patients[1] (PVP-0002): deathDate 2017-05-01 is before procedureDate 2017-06-01"
            },
            {
                "$.patients[1].responses[1].completedAt",
                "\"2017-09-03T12:00:00\"",
                "patients[1] (PVP-0002): responses[1].completedAt '2017-09-03T12:00:00' is not an ISO 8601 instant"
            },
            {
                "$.patients[0].ageAtProcedure",
                "69.5",
                "patients[0] (PVP-0001): ageAtProcedure is the number 69.5; expected an integer"
            },
            { "$.schemaVersion", "2", "schemaVersion is 2; expected 1" },
            { "$.eq5d.valueSet", "\"ENG\"", "eq5d.valueSet 'ENG' is not a value set of EQ-5D-3L" },
            {
                "$.patients[0].levels[0].leakageSymptomatic",
                "true",
                "patients[0] (PVP-0001): levels[0].leakageSymptomatic is true but cementLeakage is not"
            },
            {
                "$.patients[1].complications",
                "[{\"type\":\"bleeding\"}]",
                "patients[1] (PVP-0002): complications[0].symptomatic is missing"
            },
            {
                "$.patients[1].colour",
                "\"blue\"",
                "patients[1] (PVP-0002): colour is not a field of the cohort export"
            },
        };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Refuses_a_broken_document_naming_the_place(string path, string value, string message)
    {
        var json = With(Valid, path, value);
        var error = Assert.Throws<CohortFormatException>(() => CohortReader.Read(json));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_5L_cohort_takes_levels_up_to_5()
    {
        var json = With(With(Valid, "$.eq5d.version", "\"5L\""), "$.patients[0].responses[0].eq5d.mobility", "5");
        Assert.Equal(5, CohortReader.Read(json).Patients[0].Responses[0].Eq5d!.Mobility);
    }

    [Fact]
    public void Canonical_json_reads_back_to_the_same_document_and_hash()
    {
        var cohort = CohortReader.Read(Valid);
        var canonical = CohortJson.Serialize(cohort);
        var again = CohortJson.Read(canonical);
        Assert.Equal(canonical, CohortJson.Serialize(again));
        Assert.Equal(CohortJson.Sha256(cohort), CohortJson.Sha256(again));
        Assert.Matches("^[0-9a-f]{64}$", CohortJson.Sha256(cohort));
        var text = System.Text.Encoding.UTF8.GetString(canonical);
        Assert.DoesNotContain("\n", text);
        Assert.Contains("\"completedAt\":\"2017-05-30T06:00:00Z\"", text);
        Assert.Contains("\"primaryMalignancy\":\"multipleMyeloma\"", text);
    }

    [Fact]
    public void The_hash_does_not_depend_on_patient_order_but_on_content()
    {
        var cohort = CohortReader.Read(Valid);
        var reversed = cohort with { Patients = cohort.Patients.Reverse().ToList() };
        Assert.Equal(CohortJson.Sha256(cohort), CohortJson.Sha256(reversed));
        var older = cohort with { Patients = [cohort.Patients[0] with { AgeAtProcedure = 70 }, cohort.Patients[1]] };
        Assert.NotEqual(CohortJson.Sha256(cohort), CohortJson.Sha256(older));
    }

    /// <summary>The JSON with the value at a $.a.b[i] path replaced (or added).</summary>
    internal static string With(string json, string path, string value)
    {
        var root = JsonNode.Parse(json)!;
        var parts = System.Text.RegularExpressions.Regex.Matches(path, @"\.(\w+)|\[(\d+)\]").Select(m => m).ToList();
        var node = root;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            node = parts[i].Groups[1].Success
                ? node[parts[i].Groups[1].Value]!
                : node[int.Parse(parts[i].Groups[2].Value)]!;
        }
        var last = parts[^1];
        if (last.Groups[1].Success)
            node[last.Groups[1].Value] = JsonNode.Parse(value);
        else
            node[int.Parse(last.Groups[2].Value)] = JsonNode.Parse(value);
        return root.ToJsonString();
    }
}
