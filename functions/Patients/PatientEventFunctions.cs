using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;

namespace PvpServerless.Functions.Patients;

/// <summary>Coordinator API: death, withdrawal, X-ray leakage assessment, complications, contact changes.</summary>
public sealed class PatientEventFunctions(PatientEventService events)
{
    [Function("RecordPatientEvent")]
    public async Task<IActionResult> Record(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients/{studyId}/events")] HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await request.ReadJsonAsync<PatientEventRequest>(cancellationToken);
        if (problem is not null)
            return problem;
        var (actor, refused) = request.ReadActor("coordinator");
        if (refused is not null)
            return refused;
        return await events.RecordAsync(studyId, body, actor!, cancellationToken) switch
        {
            EventResult.Applied a => Answers.Send(
                new
                {
                    eventId = a.EventId,
                    applied = true,
                    patient = a.Patient,
                },
                StatusCodes.Status201Created
            ),
            EventResult.AlreadyApplied a => Answers.Ok(
                new
                {
                    eventId = a.EventId,
                    applied = false,
                    note = a.Note,
                    patient = a.Patient,
                }
            ),
            EventResult.Invalid i => Answers.Validation(i.Errors),
            EventResult.NotFound n => Answers.NotFound($"No patient with study id {n.StudyId}."),
            EventResult.Conflict c => Answers.Conflict(c.Message, c.Field),
            EventResult.Busy b => Answers.Busy(b.RetryAfter),
            _ => throw new InvalidOperationException("Unknown event result."),
        };
    }
}
