using System.Globalization;
using PvpServerless.Cohort;
using PvpServerless.Questionnaires;

namespace PvpServerless.Tests.Questionnaires;

public class ValueSetTests
{
    // Written by ReferenceData/eq5d-index.R from coefficients typed into that script (not from value-sets.csv).
    public static TheoryData<string, string, string, int> ReferenceFiles =>
        new()
        {
            { "eq5d-3l-index.csv", "3L", "DK", 243 },
            { "eq5d-3l-index.csv", "3L", "UK", 243 },
            { "eq5d-5l-index.csv", "5L", "DK", 3125 },
            { "eq5d-5l-index.csv", "5L", "ENG", 3125 },
        };

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void Every_state_scores_as_the_R_reference(string file, string version, string name, int states)
    {
        var valueSet = ValueSet.Get(version, name);
        var rows = ReadReference(file, name);
        Assert.Equal(states, rows.Count);
        Assert.Equal(states, rows.Select(r => r.State).Distinct().Count());
        foreach (var (state, expected) in rows)
        {
            var actual = valueSet.Index(state.Select(c => c - '0').ToArray());
            Assert.True(
                Math.Abs(expected - actual) <= 1e-9,
                $"{version} {name} {state}: expected {expected:R}, got {actual:R}"
            );
        }
    }

    [Fact]
    public void The_5L_reference_holds_all_25_single_dimension_states()
    {
        var states = ReadReference("eq5d-5l-index.csv", "DK").Select(r => r.State).ToHashSet();
        for (var dimension = 0; dimension < 5; dimension++)
        {
            for (var level = 1; level <= 5; level++)
            {
                var state = new string('1', 5)
                    .Remove(dimension, 1)
                    .Insert(dimension, level.ToString(CultureInfo.InvariantCulture));
                Assert.Contains(state, states);
            }
        }
    }

    [Theory]
    // Full health: level 1 everywhere adds nothing, and no 3L constant applies.
    [InlineData("3L", "DK", "11111", 1.000)]
    [InlineData("3L", "UK", "11111", 1.000)]
    [InlineData("5L", "DK", "11111", 1.000)]
    [InlineData("5L", "ENG", "11111", 1.000)]
    // 1 − 0.114 (constant) − 0.411 − 0.192 − 0.144 − 0.396 − 0.367 = −0.624 (DK has no N3 term)
    [InlineData("3L", "DK", "33333", -0.624)]
    // 1 − 0.081 (constant) − 0.269 (N3) − 0.314 − 0.214 − 0.094 − 0.386 − 0.236 = −0.594
    [InlineData("3L", "UK", "33333", -0.594)]
    // 1 − 0.220 − 0.209 − 0.174 − 0.537 − 0.618 = −0.758
    [InlineData("5L", "DK", "55555", -0.758)]
    // 1 − 0.274 − 0.203 − 0.184 − 0.335 − 0.289 = −0.285
    [InlineData("5L", "ENG", "55555", -0.285)]
    // A single level 3 (usual activities). DK: 1 − 0.114 − 0.144 = 0.742
    [InlineData("3L", "DK", "11311", 0.742)]
    // UK: 1 − 0.081 − 0.269 (N3) − 0.094 = 0.556
    [InlineData("3L", "UK", "11311", 0.556)]
    // 5L, level 3 is not special: DK 1 − 0.040 = 0.960; ENG 1 − 0.063 = 0.937
    [InlineData("5L", "DK", "11311", 0.960)]
    [InlineData("5L", "ENG", "11311", 0.937)]
    // 1 − 0.114 − 0.063 (SC2) − 0.144 (UA3) − 0.062 (PD2) = 0.617
    [InlineData("3L", "DK", "12321", 0.617)]
    // 1 − 0.081 − 0.269 − 0.104 − 0.094 − 0.123 = 0.329
    [InlineData("3L", "UK", "12321", 0.329)]
    public void Hand_worked_states(string version, string name, string state, double expected) =>
        Assert.Equal(expected, ValueSet.Get(version, name).Index(state.Select(c => c - '0').ToArray()), 1e-12);

    [Fact]
    public void Index_of_answers_needs_all_five_levels()
    {
        var dk = ValueSet.Get("3L", "DK");
        Assert.Equal(0.617, dk.Index(new Eq5dAnswers(1, 2, 3, 2, 1, 40))!.Value, 1e-12);
        Assert.Null(dk.Index(new Eq5dAnswers(1, 2, null, 2, 1, 40)));
        Assert.Null(dk.Index((Eq5dAnswers?)null));
        Assert.Equal(0.617, dk.Index(new Eq5dAnswers(1, 2, 3, 2, 1, null))!.Value, 1e-12);
    }

    [Fact]
    public void Levels_outside_the_version_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueSet.Get("3L", "DK").Index([1, 1, 4, 1, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueSet.Get("5L", "DK").Index([0, 1, 1, 1, 1]));
        Assert.Throws<ArgumentException>(() => ValueSet.Get("5L", "DK").Index([1, 1, 1, 1]));
        Assert.Equal(3, ValueSet.Get("3L", "UK").MaxLevel);
        Assert.Equal(5, ValueSet.Get("5L", "ENG").MaxLevel);
    }

    [Fact]
    public void The_four_published_sets_are_there_and_no_other()
    {
        Assert.Equal([("3L", "DK"), ("3L", "UK"), ("5L", "DK"), ("5L", "ENG")], ValueSet.Available);
        var e = Assert.Throws<ArgumentException>(() => ValueSet.Get("5L", "UK"));
        Assert.Contains("5L/ENG", e.Message);
    }

    private static List<(string State, double Index)> ReadReference(string file, string column)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Questionnaires", "ReferenceData", file));
        var at = Array.IndexOf(lines[0].Split(','), column);
        Assert.True(at > 0, $"{file} has no column {column}");
        return lines
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .Select(f => (f[0], double.Parse(f[at], CultureInfo.InvariantCulture)))
            .ToList();
    }
}
