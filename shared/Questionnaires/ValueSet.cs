using System.Collections.Frozen;
using System.Globalization;
using PvpServerless.Cohort;

namespace PvpServerless.Questionnaires;

/// <summary>
/// An EQ-5D value set: the additive model that turns a health state (five levels) into an index.
/// 3L: FullHealth + AtLeastOne2Or3 (any level &gt; 1) + AtLeastOne3 (any level = 3) + a term per dimension at
/// its level.
/// 5L: StartValue + a term per dimension at its level. Level 1 adds nothing. Coefficients: Data/value-sets.csv.
/// </summary>
public sealed class ValueSet
{
    private static readonly string[] Dimensions = ["MO", "SC", "UA", "PD", "AD"];
    private readonly FrozenDictionary<string, double> _terms;

    private ValueSet(string version, string name, FrozenDictionary<string, double> terms) =>
        (Version, Name, _terms) = (version, name, terms);

    /// <summary>"3L" or "5L".</summary>
    public string Version { get; }

    /// <summary>Country code of the value set: DK, UK (3L) or DK, ENG (5L).</summary>
    public string Name { get; }

    public int MaxLevel => Version == "3L" ? 3 : 5;

    /// <summary>The index of a complete state, e.g. (1, 2, 3, 2, 1); null when any level is missing.</summary>
    public double? Index(Eq5dAnswers? answers) =>
        answers is { Mobility: { } mo, SelfCare: { } sc, UsualActivities: { } ua, Pain: { } pd, Anxiety: { } ad }
            ? Index([mo, sc, ua, pd, ad])
            : null;

    /// <summary>The index of five levels in the order MO, SC, UA, PD, AD.</summary>
    public double Index(ReadOnlySpan<int> levels)
    {
        if (levels.Length != 5)
            throw new ArgumentException("A state has five levels.", nameof(levels));
        var sum = Term(Version == "3L" ? "FullHealth" : "StartValue");
        var anyAbove1 = false;
        var any3 = false;
        for (var i = 0; i < 5; i++)
        {
            var level = levels[i];
            if (level < 1 || level > MaxLevel)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(levels),
                    $"{Dimensions[i]} level {level} is outside 1–{MaxLevel}."
                );
            }
            anyAbove1 |= level > 1;
            any3 |= level == 3;
            if (level > 1)
                sum += Term($"{Dimensions[i]}{level}");
        }
        if (Version == "3L")
        {
            if (anyAbove1)
                sum += Term("AtLeastOne2Or3");
            if (any3)
                sum += Term("AtLeastOne3");
        }
        return sum;
    }

    // A term absent from the published set (DK 3L has no AtLeastOne3) contributes nothing.
    private double Term(string name) => _terms.GetValueOrDefault(name);

    public static IReadOnlyList<(string Version, string Name)> Available => Catalogue.Value.Keys.Order().ToList();

    public static bool TryGet(string version, string name, out ValueSet valueSet) =>
        Catalogue.Value.TryGetValue((version, name), out valueSet!);

    public static ValueSet Get(string version, string name) =>
        TryGet(version, name, out var set)
            ? set
            : throw new ArgumentException(
                $"No EQ-5D-{version} value set '{name}'. Known: "
                    + $"{string.Join(", ", Available.Select(a => $"{a.Version}/{a.Name}"))}."
            );

    // Immutable once built; loading the embedded CSV once per process is safe to share.
    private static readonly Lazy<FrozenDictionary<(string, string), ValueSet>> Catalogue = new(Load);

    private static FrozenDictionary<(string, string), ValueSet> Load()
    {
        using var stream =
            typeof(ValueSet).Assembly.GetManifestResourceStream("PvpServerless.Questionnaires/Data/value-sets.csv")
            ?? throw new InvalidOperationException("The value-set table is not embedded in the core library.");
        using var reader = new StreamReader(stream);
        var rows = new List<(string Version, string Set, string Term, double Coefficient)>();
        reader.ReadLine(); // header: instrument,valueSet,term,coefficient
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            var f = line.Split(',');
            rows.Add((f[0], f[1], f[2], double.Parse(f[3], CultureInfo.InvariantCulture)));
        }
        return rows.GroupBy(r => (r.Version, r.Set))
            .ToFrozenDictionary(
                g => g.Key,
                g => new ValueSet(g.Key.Version, g.Key.Set, Checked(g.Key.Version, g.Key.Set, g.ToList()))
            );
    }

    // A misspelt or missing term would otherwise score as 0 without a word: every set must name exactly its model's
    // terms.
    private static FrozenDictionary<string, double> Checked(
        string version,
        string set,
        List<(string, string, string Term, double Coefficient)> rows
    )
    {
        var levels = version switch
        {
            "3L" => 3,
            "5L" => 5,
            _ => throw new InvalidOperationException($"value-sets.csv: unknown EQ-5D version '{version}' (set {set})."),
        };
        var required = Dimensions
            .SelectMany(d => Enumerable.Range(2, levels - 1).Select(l => $"{d}{l}"))
            .Append(version == "3L" ? "FullHealth" : "StartValue")
            .Concat(version == "3L" ? ["AtLeastOne2Or3"] : [])
            .ToHashSet();
        string[] optional = version == "3L" ? ["AtLeastOne3"] : [];
        var terms = rows.Select(r => r.Term).ToList();
        var missing = required.Except(terms).ToList();
        var unknown = terms.Except(required).Except(optional).ToList();
        var twice = terms.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (missing.Count + unknown.Count + twice.Count > 0)
        {
            throw new InvalidOperationException(
                $"value-sets.csv: EQ-5D-{version} {set}: missing [{string.Join(", ", missing)}], "
                    + $"unknown [{string.Join(", ", unknown)}], repeated [{string.Join(", ", twice)}]."
            );
        }
        return rows.ToFrozenDictionary(r => r.Term, r => r.Coefficient);
    }
}
