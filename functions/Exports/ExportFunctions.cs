using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.Exports;

/// <summary>Researcher API: the de-identified cohort document (docs/cohort-document.md) for a cut-off date.</summary>
public sealed class ExportFunctions(CohortBuilder cohorts, ClinicClock clinic)
{
    [Function("ExportCohort")]
    public async Task<IActionResult> Cohort(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "exports/cohort.json")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var cutoffText = request.Query["cutoff"].ToString();
        var today = clinic.Today();
        var cutoff = today;
        if (cutoffText.Length > 0 && !Codes.TryParseDate(cutoffText, out cutoff))
        {
            return Answers.Validation(
                new Dictionary<string, string[]> { ["cutoff"] = ["A date as yyyy-MM-dd (default: today)."] }
            );
        }
        if (cutoff > today)
        {
            // Survival would be censored at a day nobody has reached yet.
            return Answers.Validation(
                new Dictionary<string, string[]>
                {
                    ["cutoff"] = [$"Lies after today ({Codes.Format(today)}): choose today or an earlier day."],
                }
            );
        }
        var document = await cohorts.BuildAsync(cutoff, cancellationToken);
        var json = CohortJson.Serialize(document);
        // The same hash as outcomes.json's inputSha256 (CohortJson.Sha256), from the bytes already made.
        request.HttpContext.Response.Headers["X-Input-Sha256"] = Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(json)
        );
        return new FileContentResult(json, "application/json")
        {
            FileDownloadName = $"cohort-{Codes.Format(cutoff)}.json",
        };
    }
}
