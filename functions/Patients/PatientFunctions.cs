using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Functions.Http;
using PvpServerless.Patients;
using PvpServerless.Web;

namespace PvpServerless.Functions.Patients;

/// <summary>Coordinator API: enrol, read and list patients. Function key required.</summary>
public sealed class PatientFunctions(EnrolmentService enrolment, PatientQueries queries)
{
    [Function("EnrolPatient")]
    public async Task<IActionResult> Enrol(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "patients")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await request.ReadJsonAsync<EnrolmentRequest>(cancellationToken);
        if (problem is not null)
            return problem;
        var (actor, refused) = request.ReadActor("coordinator");
        if (refused is not null)
            return refused;
        return await enrolment.EnrolAsync(body, actor!, cancellationToken) switch
        {
            EnrolmentResult.Created c => Answers.Created(
                $"/api/patients/{Uri.EscapeDataString(c.Patient.StudyId)}",
                c.Patient
            ),
            EnrolmentResult.Invalid i => Answers.Validation(i.Errors),
            EnrolmentResult.Duplicate d => Answers.Conflict($"Study id {d.StudyId} is already enrolled.", "studyId"),
            EnrolmentResult.Busy b => Answers.Busy(b.RetryAfter),
            _ => throw new InvalidOperationException("Unknown enrolment result."),
        };
    }

    [Function("GetPatient")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients/{studyId}")] HttpRequest request,
        string studyId,
        CancellationToken cancellationToken
    ) =>
        await queries.GetAsync(studyId, cancellationToken) is { } patient
            ? Answers.Ok(patient)
            : Answers.NotFound($"No patient with study id {studyId}.");

    [Function("ListPatients")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patients")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        var size = request.Query["pageSize"].ToString();
        var pageSize = size.Length == 0 ? 50
            : WholeNumber.TryParse(size, out var n) ? n
            : 0;
        if (pageSize is < 1 or > PatientQueries.MaxPageSize)
        {
            return Answers.Validation(
                new Dictionary<string, string[]>
                {
                    ["pageSize"] = [$"A whole number from 1 to {PatientQueries.MaxPageSize}."],
                }
            );
        }
        var token = request.Query["continuationToken"].ToString();
        if (token.Length > 0 && !PageTokens.TryUnwrap(token, out _))
        {
            return Answers.Validation(
                new Dictionary<string, string[]>
                {
                    ["continuationToken"] = ["Not a token from a previous page: start again without one."],
                }
            );
        }
        return Answers.Ok(await queries.ListAsync(pageSize, token.Length == 0 ? null : token, cancellationToken));
    }
}
