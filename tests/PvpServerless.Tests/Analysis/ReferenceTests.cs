using System.Text.Json.Nodes;
using PvpServerless.Analysis;
using PvpServerless.Cohort;

namespace PvpServerless.Tests.Analysis;

/// <summary>
/// Our outcomes against R's on the cohorts written by Reference/make-reference.R (R 4.2, survival 3.5; see that script
/// for the calls). Every field must match: numbers to 1e-6 relative, p-values to 1e-6 absolute, null where R has none.
/// </summary>
public class ReferenceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Analysis", "Reference");

    public static TheoryData<string> Cohorts()
    {
        var data = new TheoryData<string>();
        foreach (
            var file in Directory.GetFiles(Path.Combine(Folder, "cohorts"), "*.json").Order(StringComparer.Ordinal)
        )
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }
        return data;
    }

    [Fact]
    public void The_reference_set_holds_the_edge_cases() =>
        Assert.Superset(
            new HashSet<string> { "edge-one-pair", "edge-constant", "edge-half-flat", "edge-all-dead", "edge-ties" },
            Cohorts().Select(row => row.Data).ToHashSet()
        );

    [Theory]
    [MemberData(nameof(Cohorts))]
    public void Outcomes_match_R(string name)
    {
        var cohort = CohortJson.Read(File.ReadAllBytes(Path.Combine(Folder, "cohorts", name + ".json")));
        var provenance = new Provenance(
            new DateTimeOffset(2018, 3, 2, 3, 0, 0, TimeSpan.Zero),
            "test",
            CohortJson.Sha256(cohort)
        );
        var outcomes = OutcomeAnalysis.Analyse(cohort, AnalysisOptions.Default, provenance);

        var actual = JsonNode.Parse(OutcomesJson.Serialize(outcomes));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected", name + ".json")));
        var differences = JsonComparer.Differences(
            expected,
            actual,
            skip: new HashSet<string> { "generatedAt", "softwareVersion", "inputSha256" }
        );

        Assert.True(
            differences.Count == 0,
            $"{name}: {differences.Count} differences from R:\n" + string.Join("\n", differences.Take(40))
        );
        Assert.Equal(provenance.InputSha256, actual!["inputSha256"]!.GetValue<string>());
    }

    [Fact]
    public void The_comparison_reports_each_difference_with_its_path()
    {
        var expected = JsonNode.Parse("""{"a":{"mean":1.0,"p":0.5,"ci95":null,"n":3},"b":[1,2]}""");
        var actual = JsonNode.Parse(
            """{"a":{"mean":1.00001,"p":0.5000004,"ci95":{"lower":0,"upper":1},"n":3},"b":[1]}"""
        );

        var differences = JsonComparer.Differences(expected, actual);

        Assert.Equal(3, differences.Count);
        Assert.Contains(differences, d => d.StartsWith("$.a.mean:", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("$.a.ci95:", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("$.b:", StringComparison.Ordinal));
    }
}
