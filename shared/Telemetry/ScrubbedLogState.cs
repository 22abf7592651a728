using System.Collections;
using System.Globalization;
using System.Text;

namespace PvpServerless.Telemetry;

/// <summary>
/// What a scrubbing logger passes on instead of the caller's state: the message rendered again from its template with
/// scrubbed values, and the structured values themselves scrubbed (log stores keep both).
/// </summary>
internal sealed class ScrubbedLogState(string message, IReadOnlyList<KeyValuePair<string, object?>> values)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";

    public string Message { get; } = message;

    public int Count => values.Count;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    public static ScrubbedLogState From<TState>(
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> format
    )
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
            return new ScrubbedLogState(LogScrubber.Scrub(format(state, exception)), []);
        var list = pairs.ToList();
        var template = list.FirstOrDefault(p => p.Key == OriginalFormat).Value as string;
        var scrubbed = list.Select(p =>
                p.Key == OriginalFormat
                    ? p
                    : new KeyValuePair<string, object?>(p.Key, LogScrubber.ScrubValue(p.Key, p.Value))
            )
            .ToList();
        var message = template is null
            ? LogScrubber.Scrub(format(state, exception))
            : Render(template, list.Where(p => p.Key != OriginalFormat).ToList());
        return new ScrubbedLogState(message, scrubbed);
    }

    /// <summary>
    /// A message template ("Sent {Count} links to {Email}") with its holes filled in order, as Microsoft.Extensions.
    /// Logging fills them: sensitive values as [redacted], the others formatted and then scrubbed.
    /// </summary>
    internal static string Render(string template, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        var text = new StringBuilder(template.Length + 32);
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }
            var end = c == '{' ? template.IndexOf('}', i + 1) : -1;
            if (end < 0)
            {
                text.Append(LogScrubber.Scrub(c.ToString()));
                continue;
            }
            var hole = template[(i + 1)..end];
            var nameEnd = hole.IndexOfAny([',', ':']);
            var spec = nameEnd < 0 ? "" : hole[nameEnd..];
            text.Append(next < values.Count ? Format(values[next], spec) : "{" + hole + "}");
            next++;
            i = end;
        }
        return LogScrubber.Scrub(text.ToString());
    }

    private static string Format(KeyValuePair<string, object?> pair, string spec)
    {
        if (LogScrubber.IsSensitiveName(pair.Key))
            return LogScrubber.Redacted;
        var value = pair.Value switch
        {
            null => "(null)",
            string s => s,
            IEnumerable items => string.Join(", ", items.Cast<object?>().Select(o => o ?? "(null)")),
            var other => other,
        };
        return string.Format(CultureInfo.InvariantCulture, "{0" + spec + "}", value);
    }
}
