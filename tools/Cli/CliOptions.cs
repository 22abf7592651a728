using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PvpServerless.Cli;

/// <summary>
/// Typed options whose errors name the option and say what it takes (System.CommandLine's own messages name the .NET
/// type instead). Every verb builds its options here, so that ./pvp reads its numbers, choices and paths one way.
/// </summary>
public static class CliOptions
{
    /// <summary>A whole number in [min, max]; required when there is no <paramref name="fallback"/>.</summary>
    public static Option<int> Int(string name, string description, int? fallback, int min, int max = int.MaxValue)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = "N",
            Required = fallback is null,
            CustomParser = result =>
            {
                var text = Single(result);
                if (
                    int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                    && value >= min
                    && value <= max
                )
                    return value;
                var range = max == int.MaxValue ? $"≥ {min}" : $"from {min} to {max}";
                result.AddError($"{name} takes a whole number {range}, not '{text}'.");
                return default;
            },
        };
        if (fallback is { } f)
            option.DefaultValueFactory = _ => f;
        return option;
    }

    /// <summary>A finite decimal number, written with a point (0.12), whatever the machine's culture.</summary>
    public static Option<double> Number(string name, string description, double fallback) =>
        new(name)
        {
            Description = description,
            HelpName = "X",
            DefaultValueFactory = _ => fallback,
            CustomParser = result =>
            {
                var text = Single(result);
                if (
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    && double.IsFinite(value)
                )
                    return value;
                result.AddError(
                    $"{name} takes a number such as {fallback.ToString(CultureInfo.InvariantCulture)}, not '{text}'."
                );
                return default;
            },
        };

    /// <summary>One of a fixed set of words, compared exactly (value set names are upper case: DK, not dk).</summary>
    public static Option<string> Choice(string name, string description, string fallback, IReadOnlyList<string> values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => fallback,
        };
        option.CompletionSources.Add(values.ToArray());
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{name} is one of {string.Join(", ", values)}, not '{value}'.");
        });
        return option;
    }

    /// <summary>A file that must exist.</summary>
    public static Option<FileInfo> ExistingFile(string name, string description, string helpName)
    {
        var option = new Option<FileInfo>(name)
        {
            Description = description,
            HelpName = helpName,
            Required = true,
        };
        option.AcceptLegalFilePathsOnly();
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { Exists: false } file)
                result.AddError($"{name}: there is no file {file}.");
        });
        return option;
    }

    /// <summary>A folder, made when missing.</summary>
    public static Option<DirectoryInfo> Folder(string name, string description, string helpName)
    {
        var option = new Option<DirectoryInfo>(name)
        {
            Description = description,
            HelpName = helpName,
            Required = true,
        };
        option.AcceptLegalFilePathsOnly();
        return option;
    }

    public static Option<string> Text(string name, string description, string helpName, string? fallback = null)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName };
        if (fallback is not null)
            option.DefaultValueFactory = _ => fallback;
        return option;
    }

    /// <summary>
    /// Where the storage commands write: a connection string, else the Azurite of ./pvp up, else .pvp/azurite.
    /// </summary>
    public static Option<string> Storage() =>
        Text(
            "--storage",
            "a storage connection string (default: the Azurite of ./pvp up, else .pvp/azurite)",
            "CONNECTION"
        );

    /// <summary>The storage name prefix of the commands that read or write the tables (Storage:NamePrefix).</summary>
    public static Option<string> Prefix() =>
        Text("--prefix", "a prefix for the table names (Storage:NamePrefix)", "P", fallback: "");

    private static string Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
}
