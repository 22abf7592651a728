using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PvpServerless.Cli.Demo;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.LocalHost;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp demo</c>: the whole pipeline on this machine. Starts Azurite (fresh, under .pvp/demo/azurite) and the local
/// Functions host, enrols the seed paper's 30 patients through the coordinator API with their X-ray findings,
/// questionnaires, deaths and withdrawals, lists them, runs the nightly report through the admin endpoint and
/// downloads the report folder through the researcher API's short-lived links into .pvp/demo/report/.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public string Name => "demo";

    public string Summary => "enrol the seed cohort through the API, list it, run the nightly report and fetch it";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = Repo.Root;
        var demo = Path.Combine(root, ".pvp", "demo");
        if (Directory.Exists(demo))
            Directory.Delete(demo, recursive: true);
        var port = Azurite.IsFree(7071) ? 7071 : Azurite.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var cohort = SeedCohort.Build();
        var settings = new Dictionary<string, string?>
        {
            // A closed study: the report's cut-off is the seed paper's data collection date.
            ["Reports:CutoffDate"] = Codes.Format(cohort.CutoffDate),
            ["LocalHost:RunTimers"] = "false",
        };
        var o = console.Out;
        o.WriteLine("Starting Azurite and the functions…");
        await using var stack = await LocalStack.StartAsync(
            root,
            Path.Combine(demo, "azurite"),
            ports: null,
            url,
            settings,
            console.Error,
            cancellationToken
        );
        o.WriteLine(
            $"  functions: {url}   storage: {stack.StorageConnectionString.Split(';').First(p => p.StartsWith("BlobEndpoint", StringComparison.Ordinal))}"
        );

        using var coordinator = Client(url, stack.FunctionKeys["coordinator"], followRedirects: true);
        var watch = Stopwatch.StartNew();
        o.Write($"Enrolling the seed cohort ({cohort.Patients.Count} patients) through POST {url}/api/patients …");
        await new CohortUploader(coordinator).UploadAsync(cohort, null, cancellationToken);
        o.WriteLine($" done in {watch.Elapsed.TotalSeconds:F1} s");

        var listed = await ListAsync(coordinator, o, cancellationToken);
        if (listed != cohort.Patients.Count)
        {
            console.Error.WriteLine($"pvp demo: listed {listed} patients, expected {cohort.Patients.Count}.");
            return 1;
        }

        o.Write($"Running the nightly report (POST {url}/admin/functions/NightlyReport) …");
        watch.Restart();
        using (
            var run = new HttpRequestMessage(HttpMethod.Post, $"{url}/admin/functions/NightlyReport")
            {
                Content = JsonContent.Create(new { input = "" }),
                Headers = { { "x-functions-key", stack.MasterKey }, { "x-pvp-wait", "true" } },
            }
        )
        using (var plain = new HttpClient())
        {
            var response = await plain.SendAsync(run, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                console.Error.WriteLine(
                    $"\npvp demo: the nightly report failed: {await response.Content.ReadAsStringAsync(cancellationToken)}"
                );
                return 1;
            }
        }
        o.WriteLine($" done in {watch.Elapsed.TotalSeconds:F1} s");

        using var researcher = Client(url, stack.FunctionKeys["researcher"], followRedirects: true);
        var reports = await researcher.GetFromJsonAsync<JsonElement>("/api/reports", cancellationToken);
        var day = reports.GetProperty("latest").GetString()!;
        var folder = Path.Combine(demo, "report", day);
        Directory.CreateDirectory(folder);
        o.WriteLine(
            $"Report for cut-off {day} (GET {url}/api/reports/latest/{{file}} → a read-only link valid for minutes):"
        );
        var files = reports
            .GetProperty("days")[0]
            .GetProperty("manifest")
            .GetProperty("files")
            .EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()!)
            .Append("manifest.json");
        foreach (var file in files)
        {
            var bytes = await researcher.GetByteArrayAsync($"/api/reports/latest/{file}", cancellationToken);
            var path = Path.Combine(folder, file);
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            o.WriteLine(
                $"  {Path.GetRelativePath(Directory.GetCurrentDirectory(), path),-48} {bytes.Length,9:N0} bytes"
            );
        }
        PrintKeyFigures(Path.Combine(folder, "outcomes.json"), o);
        o.WriteLine(
            $"Open {Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(folder, "outcomes.pdf"))} to read the report. Stopping."
        );
        return 0;
    }

    private static HttpClient Client(string url, string key, bool followRedirects)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects })
        {
            BaseAddress = new Uri(url),
        };
        client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    /// <summary>Pages through GET /api/patients as a coordinator's screen would, and prints the cohort.</summary>
    private static async Task<int> ListAsync(HttpClient coordinator, TextWriter o, CancellationToken cancellationToken)
    {
        o.WriteLine($"Listing the cohort (GET /api/patients, pages of 10):");
        o.WriteLine(
            $"  {"study id",-10} {"sex",-3} {"age",3}  {"primary malignancy",-29} {"procedure",-10}  {"levels",-22} status"
        );
        var count = 0;
        string? token = null;
        do
        {
            var page = await coordinator.GetFromJsonAsync<JsonElement>(
                "/api/patients?pageSize=10"
                    + (token is null ? "" : "&continuationToken=" + WebUtility.UrlEncode(token)),
                cancellationToken
            );
            foreach (var p in page.GetProperty("items").EnumerateArray())
            {
                var levels = string.Join(
                    ",",
                    p.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("level").GetString())
                );
                if (levels.Length > 22)
                    levels = levels[..21] + "…";
                var status =
                    p.GetProperty("deathDate").GetString() is { } died ? $"died {died}"
                    : p.GetProperty("withdrawnDate").GetString() is { } left ? $"withdrew {left}"
                    : "in follow-up";
                o.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {p.GetProperty("studyId").GetString(),-10} {p.GetProperty("sex").GetString(),-3} {p.GetProperty("ageAtProcedure").GetInt32(),3}  {p.GetProperty("primaryMalignancy").GetString(),-29} {p.GetProperty("procedureDate").GetString(),-10}  {levels,-22} {status}"
                    )
                );
                count++;
            }
            token = page.GetProperty("continuationToken").GetString();
        } while (token is not null);
        o.WriteLine($"  {count} patients");
        return count;
    }

    private static void PrintKeyFigures(string outcomesJson, TextWriter o)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(outcomesJson));
        var t1 = doc.RootElement.GetProperty("table1");
        string Pct(JsonElement e) => e.GetProperty("percent").GetDouble().ToString("F1", CultureInfo.InvariantCulture);
        var survival = t1.GetProperty("survival").EnumerateArray().ToList();
        o.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Table 1: {t1.GetProperty("patients").GetInt32()} patients, {t1.GetProperty("vertebrae").GetInt32()} vertebrae, male {Pct(t1.GetProperty("male"))} %, "
                    + $"posterior wall defects {Pct(t1.GetProperty("posteriorWallDefects"))} %, leakage {Pct(t1.GetProperty("cementLeakage"))} %, "
                    + $"survival {Pct(survival[0])} % at 3 months and {Pct(survival[1])} % at 1 year."
            )
        );
    }
}
