namespace PvpServerless.Cli;

/// <summary>Positional words and <c>--name value</c> options; <c>--flag</c> alone means "true".</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _options;

    private CliArgs(IReadOnlyList<string> positional, Dictionary<string, string> options) =>
        (Positional, _options) = (positional, options);

    public IReadOnlyList<string> Positional { get; }

    public static CliArgs Parse(IEnumerable<string> args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        string? pending = null;
        while (e.MoveNext())
        {
            var a = e.Current;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                    options[pending] = "true";
                var eq = a.IndexOf('=');
                if (eq > 0)
                    options[a[2..eq]] = a[(eq + 1)..];
                else
                    pending = a[2..];
            }
            else if (pending is not null)
            {
                options[pending] = a;
                pending = null;
            }
            else
            {
                positional.Add(a);
            }
        }
        if (pending is not null)
            options[pending] = "true";
        return new CliArgs(positional, options);
    }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public string Option(string name, string fallback) => _options.GetValueOrDefault(name) ?? fallback;

    public bool Flag(string name) => _options.TryGetValue(name, out var v) && v != "false";

    public IEnumerable<string> OptionNames => _options.Keys;
}
