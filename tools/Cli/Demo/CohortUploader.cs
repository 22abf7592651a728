using System.Net;
using System.Net.Http.Json;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Domain;
using PvpServerless.Patients;

namespace PvpServerless.Cli.Demo;

/// <summary>
/// Puts a cohort document into a running system through its coordinator API, as coordinators would: enrol each
/// patient, record the X-ray leakage assessment, type in the questionnaires, record deaths and withdrawals.
/// Every call is idempotent, so an interrupted upload can simply be run again.
/// </summary>
public sealed class CohortUploader(HttpClient coordinator)
{
    public async Task UploadAsync(CohortDocument cohort, Action<int>? progress, CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var p in cohort.Patients)
        {
            await UploadAsync(p, done, cohort.CutoffDate, cancellationToken);
            progress?.Invoke(++done);
        }
    }

    private async Task UploadAsync(CohortPatient p, int index, DateOnly cutoff, CancellationToken cancellationToken)
    {
        var id = Uri.EscapeDataString(p.StudyId);
        await SendAsync(
            "/api/patients",
            new
            {
                studyId = p.StudyId,
                sex = p.Sex.ToString(),
                ageAtProcedure = p.AgeAtProcedure,
                primaryMalignancy = Codes.Of(p.PrimaryMalignancy),
                diagnosisBasis = Codes.Of(p.DiagnosisBasis),
                procedureDate = Codes.Format(p.ProcedureDate),
                levels = p.Levels.Select(l => new { level = l.Level, posteriorWallDefect = l.PosteriorWallDefect }),
                complications = p.Complications.Select(c => new { type = c.Type, symptomatic = c.Symptomatic }),
                // Demo addresses only: the reserved .invalid domain can never reach anyone.
                email = $"{p.StudyId.ToLowerInvariant()}@demo.invalid",
                language = index % 3 == 2 ? "en" : "da",
            },
            cancellationToken,
            alsoFine: HttpStatusCode.Conflict
        );

        foreach (var assessment in PatientRows.LeakageAssessments(p, cutoff))
        {
            await SendAsync(
                $"/api/patients/{id}/events",
                new
                {
                    type = "leakageAssessment",
                    date = Codes.Format(assessment.AssessedOn),
                    levels = assessment.Levels,
                },
                cancellationToken
            );
        }
        foreach (var r in p.Responses)
        {
            await SendAsync(
                $"/api/patients/{id}/responses",
                new
                {
                    wave = r.Wave.Code(),
                    completedAt = r.CompletedAt,
                    eq5d = r.Eq5d,
                    odi = r.Odi,
                },
                cancellationToken
            );
        }
        if (p.DeathDate is { } death)
            await SendAsync(
                $"/api/patients/{id}/events",
                new { type = "death", date = Codes.Format(death) },
                cancellationToken
            );
        if (p.WithdrawnDate is { } withdrawn)
            await SendAsync(
                $"/api/patients/{id}/events",
                new { type = "withdrawal", date = Codes.Format(withdrawn) },
                cancellationToken
            );
    }

    private async Task SendAsync(
        string path,
        object body,
        CancellationToken cancellationToken,
        HttpStatusCode? alsoFine = null
    )
    {
        using var response = await coordinator.PostAsJsonAsync(path, body, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == alsoFine)
            return;
        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {detail}");
    }
}
