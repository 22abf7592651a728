using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PvpServerless.Cli.Progress;
using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Cli.Demo;

/// <summary>The demo's walk through the API, step by step, as a coordinator and a researcher would do it.</summary>
public sealed class DemoWalk(LocalStack stack, string url, string reports, ProgressDisplay progress, TextWriter o)
{
    /// <summary>The downloaded report folder, once there is one.</summary>
    public string? Folder { get; private set; }

    /// <returns>The report's Table 1 figures as one line.</returns>
    public async Task<string> RunAsync(CohortDocument cohort, CancellationToken cancellationToken)
    {
        using var coordinator = Client(stack.FunctionKeys["coordinator"]);
        await progress.StepAsync(
            "Enrolling the seed cohort (POST /api/patients)",
            cohort.Patients.Count,
            "patients",
            report => new CohortUploader(coordinator).UploadAsync(cohort, n => report(n), cancellationToken)
        );
        var rows = await progress.StepAsync(
            "Listing it (GET /api/patients, pages of 10)",
            cohort.Patients.Count,
            "patients",
            report => PatientListing.ReadAsync(coordinator, report, cancellationToken)
        );
        PatientListing.Print(rows, o);
        if (rows.Count != cohort.Patients.Count)
            throw new InvalidOperationException($"listed {rows.Count} patients, expected {cohort.Patients.Count}.");

        await progress.StepAsync(
            "Running the nightly report (POST /admin/functions/NightlyReport)",
            () => RunNightlyAsync(cancellationToken)
        );

        Folder = await DownloadLatestAsync(cancellationToken);
        return KeyFigures(Path.Combine(Folder, "outcomes.json"));
    }

    /// <summary>
    /// The demo's last step (<see cref="StudyReport"/>): the nightly report of the running study up to its last day,
    /// downloaded beside the seed study's, and its follow-up table against the dashboard's summary of that day.
    /// </summary>
    /// <returns>The comparison, wave by wave, and the downloaded folder.</returns>
    public async Task<(string Comparison, string Folder)> ReportStudyAsync(
        DateOnly lastDay,
        CancellationToken cancellationToken
    )
    {
        var run = await progress.StepAsync(
            $"Running the nightly report of the running study (cut-off {Codes.Format(lastDay)})",
            () => StudyReport.PublishAsync(stack.Services, lastDay, cancellationToken)
        );
        var folder = await DownloadLatestAsync(cancellationToken);
        using var researcher = Client(stack.FunctionKeys["researcher"]);
        using var coordinator = Client(stack.FunctionKeys["coordinator"]);
        var rates = await StudyReport.CompareAsync(researcher, coordinator, lastDay, cancellationToken);
        var comparison = StudyReport.Format(lastDay, run, rates);
        if (!rates.All(r => r.Agrees))
            throw new InvalidOperationException(comparison);
        return (comparison, folder);
    }

    /// <summary>The newest report folder through the researcher API's links, into a folder named by its day.</summary>
    private async Task<string> DownloadLatestAsync(CancellationToken cancellationToken)
    {
        using var researcher = Client(stack.FunctionKeys["researcher"]);
        var (day, files) = await LatestReportAsync(researcher, cancellationToken);
        var folder = Path.Combine(reports, day);
        var sizes = await progress.StepAsync(
            $"Downloading the report of {day} (GET /api/reports/latest/{{file}})",
            files.Count,
            "files",
            report => DownloadAsync(researcher, files, folder, report, cancellationToken)
        );
        foreach (var (path, bytes) in sizes)
            o.WriteLine($"  {Path.GetRelativePath(Directory.GetCurrentDirectory(), path),-48} {bytes,9:N0} bytes");
        return folder;
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    /// <summary>The newest report day and its files, from the manifest that GET /api/reports lists.</summary>
    private static async Task<(string Day, List<string> Files)> LatestReportAsync(
        HttpClient researcher,
        CancellationToken cancellationToken
    )
    {
        var reports = await researcher.GetFromJsonAsync<JsonElement>("/api/reports", cancellationToken);
        var files = reports
            .GetProperty("days")[0]
            .GetProperty("manifest")
            .GetProperty("files")
            .EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()!)
            .Append("manifest.json")
            .ToList();
        return (reports.GetProperty("latest").GetString()!, files);
    }

    private async Task RunNightlyAsync(CancellationToken cancellationToken)
    {
        using var run = new HttpRequestMessage(HttpMethod.Post, $"{url}/admin/functions/NightlyReport")
        {
            Content = JsonContent.Create(new { input = "" }),
            Headers = { { "x-functions-key", stack.MasterKey }, { "x-pvp-wait", "true" } },
        };
        using var plain = new HttpClient();
        using var response = await plain.SendAsync(run, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"the nightly report failed: {detail}");
        }
    }

    private static async Task<List<(string Path, int Bytes)>> DownloadAsync(
        HttpClient researcher,
        IReadOnlyList<string> files,
        string folder,
        Action<long> report,
        CancellationToken cancellationToken
    )
    {
        Directory.CreateDirectory(folder);
        var written = new List<(string, int)>();
        foreach (var file in files)
        {
            var bytes = await researcher.GetByteArrayAsync($"/api/reports/latest/{file}", cancellationToken);
            var path = Path.Combine(folder, file);
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            written.Add((path, bytes.Length));
            report(written.Count);
        }
        return written;
    }

    private static string KeyFigures(string outcomesJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(outcomesJson));
        var t1 = doc.RootElement.GetProperty("table1");
        string Pct(JsonElement e) => e.GetProperty("percent").GetDouble().ToString("F1", CultureInfo.InvariantCulture);
        var survival = t1.GetProperty("survival").EnumerateArray().ToList();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Table 1: {t1.GetProperty("patients").GetInt32()} patients, {t1.GetProperty("vertebrae").GetInt32()} "
                + $"vertebrae, male {Pct(t1.GetProperty("male"))} %, posterior wall defects "
                + $"{Pct(t1.GetProperty("posteriorWallDefects"))} %, leakage {Pct(t1.GetProperty("cementLeakage"))} %, "
                + $"survival {Pct(survival[0])} % at 3 months and {Pct(survival[1])} % at 1 year."
        );
    }
}
