namespace PvpServerless.Tests.Privacy;

/// <summary>
/// The logs and traces of a whole demo run (<see cref="DemoRun"/>), every level on, hold no e-mail address, survey
/// token or link, key, or free text a patient or coordinator typed. Study ids may appear; docs/deploy.md,
/// "Telemetry", says what is scrubbed and where.
/// </summary>
[Collection(DemoRunCollection.Name)]
public sealed class DemoRunTelemetryTests(DemoRun run)
{
    [Fact]
    public void A_demo_run_leaves_no_address_token_key_or_free_text_in_any_log_line_exception_or_span()
    {
        var capture = run.Capture;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var leaks = capture
            .Leaks([.. run.Addresses, .. run.Tokens, .. DemoRun.FreeText, .. DemoRunHost.Keys.All])
            .ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{capture.Logs.Count()} log entries and {capture.Spans.Count()} spans scanned for "
                + $"{run.Addresses.Count} addresses, {run.Tokens.Count} tokens and other secrets, {run.Emails.Count} "
                + $"e-mails; {run.Timings}, scan {watch.Elapsed.TotalSeconds:F0} s"
        );
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks:\n" + string.Join("\n", leaks.Take(30)));

        // The scan saw the places where secrets pass: addresses went out, tokens came in, storage was called.
        Assert.True(run.Emails.Count >= 40, $"{run.Emails.Count} e-mails");
        Assert.Contains(
            capture.Logs,
            r => r.Texts.Any(t => t.Contains("/api/survey/[token]/opt-out", StringComparison.Ordinal))
        );
        Assert.Contains(capture.Spans, s => s.Source == "Microsoft.AspNetCore");
        Assert.Contains(capture.Spans, s => s.Source.StartsWith("Azure.", StringComparison.Ordinal));
    }
}
