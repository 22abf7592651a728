using System.Text;
using System.Text.RegularExpressions;
using PvpServerless.Tests.Reports;

namespace PvpServerless.Tests.Privacy;

/// <summary>
/// What researchers get from a whole demo run (<see cref="DemoRun"/>) holds no e-mail address, survey token, key or
/// free text: every file of both nightly reports it published (the PDF's printed text and its raw bytes, the CSV and
/// JSON files) and the cohort export of the researcher API. Study ids belong there and are looked for, so the search
/// is known to have covered the patients.
/// </summary>
[Collection(DemoRunCollection.Name)]
public sealed partial class DemoRunOutputTests(DemoRun run)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailLike();

    [Fact]
    public async Task No_report_file_or_export_of_a_demo_run_holds_an_address_token_key_or_free_text()
    {
        var files = new Dictionary<string, string>();
        await foreach (var blob in run.Storage.Reports.GetBlobsAsync(cancellationToken: Ct))
        {
            var content = (await run.Storage.Reports.GetBlobClient(blob.Name).DownloadContentAsync(Ct))
                .Value.Content.ToArray();
            files[blob.Name] = blob.Name.EndsWith(".pdf", StringComparison.Ordinal)
                // The printed text, and the raw bytes for the metadata.
                ? PdfText.Read(content).All + "\n" + Encoding.Latin1.GetString(content)
                : Encoding.UTF8.GetString(content);
        }
        const string export = "GET /api/exports/cohort.json";
        files[export] = await run.Host.Researcher.GetStringAsync("/api/exports/cohort.json", Ct);

        // Two report folders (the seed study's cut-off, then today's), each with its PDF, CSV and JSON files.
        var pdfs = files.Keys.Where(k => k.EndsWith("/outcomes.pdf", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pdfs.Count);
        var csvs = files.Keys.Count(k => k.EndsWith(".csv", StringComparison.Ordinal));
        Assert.True(csvs >= 20, string.Join(", ", files.Keys));
        // The synthetic study's patients are in the second report and the export; the seed study's in both.
        var latest = files.Keys.Where(k => k.EndsWith("/cohort.json", StringComparison.Ordinal)).Max()!;
        Assert.Contains("STUDY-0040", files[latest], StringComparison.Ordinal);
        Assert.Contains("STUDY-0040", files[export], StringComparison.Ordinal);

        string[] secrets = [.. run.Addresses, .. run.Tokens, .. DemoRun.FreeText, .. DemoRunHost.Keys.All];
        var leaks = new List<string>();
        foreach (var (name, text) in files)
        {
            leaks.AddRange(
                secrets
                    .Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase))
                    .Select(s => $"{name} holds \"{s}\"")
            );
            if (EmailLike().Match(text) is { Success: true } address)
                leaks.Add($"{name} holds an address: {address.Value}");
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{files.Count} files ({files.Values.Sum(t => t.Length) / 1000:N0} kB of text) searched for "
                + $"{run.Addresses.Count} addresses, {run.Tokens.Count} tokens, {DemoRun.FreeText.Count} free texts"
        );
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(30)));
    }
}
