using System.Globalization;
using PvpServerless.Questionnaires;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp score eq5d [--version 3L] [--value-set DK]</c>: one five-digit state a line on stdin → <c>state,index</c>
/// (3 decimals, as value sets are published). <c>./pvp score odi</c>: ten comma-separated sections a line (empty =
/// skipped) → the ODI with one decimal, or an empty line where fewer than 8 are answered or the line is malformed,
/// so output line n belongs to input line n. Bad lines go to stderr with their line number; the rest is still scored
/// and the exit code is then 1. Usage errors (unknown instrument, version, value set or option) exit 2.
/// </summary>
public sealed class ScoreCommand : ICliCommand
{
    private const string Usage =
        "usage: ./pvp score eq5d [--version 3L|5L] [--value-set DK|UK|ENG] < states   (one state a line, e.g. 12321)\n"
        + "       ./pvp score odi < answers                                        (ten comma-separated sections 0–5, empty = skipped)";

    public string Name => "score";

    public string Summary =>
        "score EQ-5D states or ODI answers read from stdin (eq5d --version 3L --value-set DK | odi)";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        string[] allowed = args.Positional is ["eq5d"] ? ["version", "value-set"] : [];
        var unknown = args.OptionNames.Except(allowed).ToList();
        if (args.Positional is not (["eq5d"] or ["odi"]) || unknown.Count > 0)
        {
            if (unknown.Count > 0)
                await console.Error.WriteLineAsync($"score: unknown option --{unknown[0]}");
            await console.Error.WriteLineAsync(Usage);
            return 2;
        }
        if (args.Positional[0] == "odi")
            return await ScoreOdiAsync(console, cancellationToken);

        var version = args.Option("version", "3L");
        var name = args.Option("value-set", "DK");
        if (!ValueSet.TryGet(version, name, out var valueSet))
        {
            await console.Error.WriteLineAsync(
                $"score: no EQ-5D-{version} value set '{name}'. Known: "
                    + string.Join(", ", ValueSet.Available.Select(a => $"--version {a.Version} --value-set {a.Name}"))
                    + "."
            );
            return 2;
        }
        return await ScoreEq5dAsync(valueSet, console, cancellationToken);
    }

    private static async Task<int> ScoreEq5dAsync(
        ValueSet valueSet,
        CliConsole console,
        CancellationToken cancellationToken
    )
    {
        var bad = 0;
        var number = 0;
        var levels = new int[5];
        while (await console.In.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            var state = line.Trim();
            if (!TryParseState(state, valueSet.MaxLevel, levels))
            {
                bad++;
                await console.Error.WriteLineAsync(
                    $"line {number}: '{line}' is not an EQ-5D-{valueSet.Version} state (five digits, each 1–{valueSet.MaxLevel})"
                );
                continue;
            }
            await console.Out.WriteLineAsync($"{state},{FormatIndex(valueSet.Index(levels))}");
        }
        return bad == 0 ? 0 : 1;
    }

    private static bool TryParseState(string state, int maxLevel, int[] levels)
    {
        if (state.Length != 5)
            return false;
        for (var i = 0; i < 5; i++)
        {
            levels[i] = state[i] - '0';
            if (levels[i] < 1 || levels[i] > maxLevel)
                return false;
        }
        return true;
    }

    private static async Task<int> ScoreOdiAsync(CliConsole console, CancellationToken cancellationToken)
    {
        var bad = 0;
        var number = 0;
        while (await console.In.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            var (sections, problem) = ParseOdi(line);
            if (problem is not null)
            {
                bad++;
                await console.Error.WriteLineAsync($"line {number}: {problem}");
            }
            await console.Out.WriteLineAsync(sections is null ? "" : FormatOdi(Odi.Score(sections)));
        }
        return bad == 0 ? 0 : 1;
    }

    private static (int?[]? Sections, string? Problem) ParseOdi(string line)
    {
        var fields = line.Split(',');
        if (fields.Length != Odi.Sections)
            return (null, $"{fields.Length} fields, not {Odi.Sections}");
        var sections = new int?[Odi.Sections];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i].Trim();
            if (field.Length == 0)
                continue;
            if (!int.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return (null, $"section {i + 1}: '{field}' is not a number");
            }
            if (value is < 0 or > 5)
                return (null, $"section {i + 1}: {value} is outside 0–5");
            sections[i] = value;
        }
        return (sections, null);
    }

    /// <summary>Three decimals, invariant culture; a midpoint rounds away from zero; never "-0.000".</summary>
    public static string FormatIndex(double index) =>
        (Math.Round(index, 3, MidpointRounding.AwayFromZero) + 0.0).ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>One decimal, invariant culture, a midpoint rounding away from zero; empty when there is no score.</summary>
    public static string FormatOdi(double? score) =>
        score is { } s
            ? Math.Round(s, 1, MidpointRounding.AwayFromZero).ToString("F1", CultureInfo.InvariantCulture)
            : "";
}
