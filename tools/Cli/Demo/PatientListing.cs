using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PvpServerless.Cli.Demo;

/// <summary>The demo's patient list: paged through GET /api/patients as a coordinator's screen would.</summary>
internal static class PatientListing
{
    public static async Task<List<string>> ReadAsync(
        HttpClient coordinator,
        Action<long> report,
        CancellationToken cancellationToken
    )
    {
        var rows = new List<string>();
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
                rows.Add(Row(p));
                report(rows.Count);
            }
            token = page.GetProperty("continuationToken").GetString();
        } while (token is not null);
        return rows;
    }

    public static void Print(IReadOnlyList<string> rows, TextWriter o)
    {
        o.WriteLine(
            $"  {"study id",-10} {"sex",-3} {"age",3}  {"primary malignancy",-29} {"procedure",-10}  {"levels",-22} status"
        );
        foreach (var row in rows)
            o.WriteLine(row);
        o.WriteLine($"  {rows.Count} patients");
    }

    private static string Row(JsonElement p)
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
        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {p.GetProperty("studyId").GetString(),-10} {p.GetProperty("sex").GetString(),-3} {p.GetProperty("ageAtProcedure").GetInt32(),3}  {p.GetProperty("primaryMalignancy").GetString(),-29} {p.GetProperty("procedureDate").GetString(),-10}  {levels,-22} {status}"
        );
    }
}
