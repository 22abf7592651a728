using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using PvpServerless.Audit;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Tests.Repository;

namespace PvpServerless.Tests.Dashboard;

/// <summary>
/// The audit actions the code writes, read from the source of shared/ and tools/ (as SettingsTests reads the
/// settings): every call of a method whose <c>action</c> parameter becomes an audit line's action — AuditEntry.Of,
/// and each method that passes its own <c>action</c> on to one — and in it the action argument, read as the string
/// literals it holds and the <c>const string</c>s it names. An argument it cannot read is reported with its place, so
/// that a new way of writing an action fails the test until it is taught here, instead of slipping by.
/// </summary>
internal static partial class AuditActionScan
{
    /// <summary>A method whose parameter <c>action</c> is an audit line's action, and how its calls look.</summary>
    private sealed record Funnel(Regex Call, int Arity, int ActionAt);

    private static Funnel Of(Type type, string method, string call)
    {
        var all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        var parameters = type.GetMethods(all)
            .Single(m => m.Name == method && m.GetParameters().Any(p => p.Name == "action"))
            .GetParameters();
        return new Funnel(
            new Regex(call + @"\s*\(", RegexOptions.CultureInvariant),
            parameters.Length,
            Array.FindIndex(parameters, p => p.Name == "action")
        );
    }

    private static readonly Funnel[] Funnels =
    [
        Of(typeof(AuditEntry), nameof(AuditEntry.Of), @"\bAuditEntry\s*\.\s*Of"),
        Of(typeof(FollowUpStore), nameof(FollowUpStore.ChangeAsync), @"\.\s*ChangeAsync"),
        Of(typeof(InvitationSender), "MarkAsync", @"\bMarkAsync"),
        Of(typeof(PatientRows), nameof(PatientRows.Of), @"\bPatientRows\s*\.\s*Of"),
    ];

    /// <summary>Actions named by a value that is checked against a list elsewhere: the list.</summary>
    private static readonly Dictionary<string, Func<IEnumerable<string>>> Checked = new()
    {
        // PatientEventService writes the event's type, which PatientEvents.ValidateShape allows from Types only.
        ["request.Type!"] = () =>
            (string[])
                typeof(PatientEvents).GetField("Types", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!,
    };

    private static readonly string[] Roots = ["shared", "tools"];

    /// <summary>The actions found, and the places whose action argument could not be read.</summary>
    public static (SortedSet<string> Actions, List<string> Unread) Read(string root)
    {
        var actions = new SortedSet<string>(StringComparer.Ordinal);
        var unread = new List<string>();
        foreach (var file in Roots.SelectMany(r => LineLengthTests.CSharpFiles(Path.Combine(root, r))))
        {
            var text = WithoutTypeArguments(File.ReadAllText(file));
            var consts = ConstString()
                .Matches(text)
                .GroupBy(m => m.Groups["name"].Value)
                .ToDictionary(g => g.Key, g => g.First().Groups["value"].Value);
            foreach (var funnel in Funnels)
            {
                foreach (Match call in funnel.Call.Matches(text))
                {
                    var args = Arguments(text, call.Index + call.Length);
                    if (args.Count != funnel.Arity)
                        continue;
                    var arg = args[funnel.ActionAt].Trim();
                    if (arg.StartsWith("string ", StringComparison.Ordinal))
                        continue; // the funnel's own declaration
                    var found = Resolve(arg, consts).ToList();
                    actions.UnionWith(found);
                    // A funnel passing its own parameter on: its callers are read as calls of that funnel.
                    var forwarded = arg == "action" && text.Contains("string action", StringComparison.Ordinal);
                    if (found.Count == 0 && !forwarded)
                        unread.Add($"{Path.GetRelativePath(root, file)}:{Line(text, call.Index)}: {arg}");
                }
            }
        }
        return (actions, unread);
    }

    private static IEnumerable<string> Resolve(string arg, IReadOnlyDictionary<string, string> consts)
    {
        if (Checked.TryGetValue(arg, out var list))
        {
            foreach (var action in list())
                yield return action;
            yield break;
        }
        foreach (Match literal in Literal().Matches(arg))
            yield return literal.Groups["value"].Value;
        foreach (Match name in Name().Matches(Literal().Replace(arg, "")))
        {
            var parts = name.Value.Split('.');
            if (parts.Length == 1 && consts.TryGetValue(parts[0], out var value))
                yield return value;
            else if (parts.Length == 2 && ConstOf(parts[0], parts[1]) is { } qualified)
                yield return qualified;
        }
    }

    /// <summary>A <c>const string</c> of a core type named <paramref name="type"/>.</summary>
    private static string? ConstOf(string type, string field) =>
        typeof(PvpStorage)
            .Assembly.GetTypes()
            .Where(t => t.Name == type)
            .Select(t => t.GetField(field, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .FirstOrDefault(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            ?.GetRawConstantValue() as string;

    /// <summary>
    /// The arguments of the call whose '(' ends just before <paramref name="start"/>, split at its top-level commas:
    /// brackets nest; strings, characters and comments are stepped over whole.
    /// </summary>
    private static List<string> Arguments(string text, int start)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            var skip = Skip(text, i);
            if (skip > i)
            {
                current.Append(text, i, skip - i);
                i = skip - 1;
                continue;
            }
            var c = text[i];
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    if (current.ToString().Trim().Length > 0 || args.Count > 0)
                        args.Add(current.ToString());
                    return args;
                }
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                args.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        return args;
    }

    /// <summary>Where a string, character or comment starting at <paramref name="i"/> ends; <paramref name="i"/> if
    /// none starts there.</summary>
    private static int Skip(string text, int i)
    {
        if (string.CompareOrdinal(text, i, "//", 0, 2) == 0)
            return End(text.IndexOf('\n', i), text);
        if (string.CompareOrdinal(text, i, "/*", 0, 2) == 0)
            return End(text.IndexOf("*/", i + 2, StringComparison.Ordinal), text, 2);
        if (string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
            return End(text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal), text, 3);
        if (string.CompareOrdinal(text, i, "@\"", 0, 2) == 0)
        {
            var j = i + 2;
            while (j < text.Length && !(text[j] == '"' && (j + 1 >= text.Length || text[j + 1] != '"')))
                j += text[j] == '"' ? 2 : 1;
            return j + 1;
        }
        if (text[i] is '"' or '\'')
        {
            var j = i + 1;
            while (j < text.Length && text[j] != text[i])
                j += text[j] == '\\' ? 2 : 1;
            return j + 1;
        }
        return i;
    }

    /// <summary>
    /// The text with its type arguments taken out (<c>Dictionary&lt;string, object?&gt;</c> is <c>Dictionary</c>),
    /// innermost first, so that their commas do not split arguments. Lines stay where they were.
    /// </summary>
    private static string WithoutTypeArguments(string text)
    {
        while (true)
        {
            var shorter = TypeArguments().Replace(text, "");
            if (shorter.Length == text.Length)
                return text;
            text = shorter;
        }
    }

    private static int End(int at, string text, int length = 0) => at < 0 ? text.Length : at + length;

    private static int Line(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"\bconst\s+string\s+(?<name>\w+)\s*=\s*""(?<value>[^""\\]*)""\s*;")]
    private static partial Regex ConstString();

    [GeneratedRegex(@"(?<=\w)<[A-Za-z_][\w ,.?\[\]]*>")]
    private static partial Regex TypeArguments();

    [GeneratedRegex(@"""(?<value>[^""\\]*)""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\b[A-Za-z_]\w*(\.[A-Za-z_]\w*)?")]
    private static partial Regex Name();
}
