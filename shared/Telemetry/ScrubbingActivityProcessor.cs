using System.Diagnostics;
using OpenTelemetry;

namespace PvpServerless.Telemetry;

/// <summary>
/// The same scrubbing for traces: span names, string tags (url.path carries survey tokens, url.query keys) and status
/// descriptions, before an exporter sees the span. Add it before the exporter.
/// </summary>
public sealed class ScrubbingActivityProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        data.DisplayName = LogScrubber.Scrub(data.DisplayName);
        foreach (var (key, value) in data.TagObjects.ToList())
        {
            var scrubbed = LogScrubber.ScrubValue(key, value);
            if (!Equals(scrubbed, value))
                data.SetTag(key, scrubbed);
        }
        if (data.StatusDescription is { } description)
            data.SetStatus(data.Status, LogScrubber.Scrub(description));
    }
}
