using System.CommandLine;
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
public static class ScoreCommand
{
    public static Command Create(CliContext context) =>
        new("score", "score EQ-5D states or ODI answers read from stdin, one a line")
        {
            Eq5dCommand(context.Console),
            OdiCommand(context.Console),
        };

    private static Command Eq5dCommand(CliConsole console)
    {
        var available = ValueSet.Available;
        var version = CliOptions.Choice(
            "--version",
            "the EQ-5D instrument: 3L or 5L",
            "3L",
            available.Select(a => a.Version).Distinct().ToList()
        );
        var name = CliOptions.Choice(
            "--value-set",
            "the country value set that turns a state into an index",
            "DK",
            available.Select(a => a.Name).Distinct().ToList()
        );
        var command = new Command("eq5d", "EQ-5D index per five-digit state on stdin, e.g. 12321 → 12321,0.617")
        {
            version,
            name,
        };
        command.Validators.Add(result =>
        {
            var (v, n) = (result.GetValue(version)!, result.GetValue(name)!);
            // An unknown version or name alone is reported by its own option.
            var known = available.Any(a => a.Version == v) && available.Any(a => a.Name == n);
            if (!known || ValueSet.TryGet(v, n, out _))
                return;
            result.AddError(
                $"--value-set: no EQ-5D-{v} value set '{n}'. Known: "
                    + string.Join(", ", available.Select(a => $"--version {a.Version} --value-set {a.Name}"))
                    + "."
            );
        });
        command.SetAction(
            (result, cancellationToken) =>
                ScoreEq5dAsync(
                    ValueSet.Get(result.GetRequiredValue(version), result.GetRequiredValue(name)),
                    console,
                    cancellationToken
                )
        );
        return command;
    }

    private static Command OdiCommand(CliConsole console)
    {
        var command = new Command(
            "odi",
            "ODI score per line of ten comma-separated sections 0–5 on stdin (empty = skipped)"
        );
        command.SetAction((_, cancellationToken) => ScoreOdiAsync(console, cancellationToken));
        return command;
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
