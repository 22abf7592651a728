using Azure.Data.Tables;
using PvpServerless.Audit;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Coordination.Actions;

/// <summary>
/// The body of <c>POST /api/patients/{studyId}/date-corrections</c>: which date (<c>death</c> or
/// <c>withdrawal</c>), the date recorded now (<c>from</c>) and the right one (<c>to</c>).
/// </summary>
public sealed record DateCorrectionRequest(string? Type, string? From, string? To);

public sealed record DateCorrectionAnswer(string StudyId, string Type, DateOnly From, DateOnly To, bool Changed);

/// <summary>
/// Corrects a recorded death or withdrawal date: the record's date, with an audit line old → new, in one transaction
/// guarded by the record's ETag. Naming the date it corrects (<c>from</c>) keeps two coordinators from overwriting
/// each other; the corrected date is there already: a repeat, nothing written. The cohort document and the nightly
/// report read the record, so the next report uses the new date (docs/coordination.md, "Dates").
/// </summary>
public sealed class DateCorrection(
    PvpStorage storage,
    WaveReview review,
    FollowUp.StatusIndex statusIndex,
    ClinicClock clinic,
    ActionRetry retry,
    TimeProvider clock
)
{
    public const string Action = "dateCorrected";

    private static readonly Dictionary<string, string> Columns = new()
    {
        [PatientEvents.Death] = "DeathDate",
        [PatientEvents.Withdrawal] = "WithdrawnDate",
    };

    public async Task<ActionOutcome> CorrectAsync(
        string studyId,
        DateCorrectionRequest? request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (request?.Type is not { } type || !Columns.ContainsKey(type))
            errors.Add("type", "Required: death or withdrawal.");
        if (!Codes.TryParseDate(request?.From, out var from))
            errors.Add("from", "Required: the date recorded now, as yyyy-MM-dd.");
        if (!Codes.TryParseDate(request?.To, out var to))
            errors.Add("to", "Required: the right date, as yyyy-MM-dd.");
        if (!errors.IsEmpty)
            return new ActionOutcome.Invalid(errors.ToDictionary());
        if (!StudyIds.IsValid(studyId))
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        var outcome = await retry.RunAsync(
            c => TryCorrectAsync(studyId, request!.Type!, from, to, actor, c),
            cancellationToken
        );
        if (outcome is ActionOutcome.Done { Answer: DateCorrectionAnswer answer })
            await review.ReviewAsync(answer.StudyId, cancellationToken);
        return outcome;
    }

    private async Task<ActionOutcome> TryCorrectAsync(
        string studyId,
        string type,
        DateOnly from,
        DateOnly to,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await ActivePatients.ReadAsync(storage.Patients, studyId, cancellationToken) is not { } patient)
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        var partition = PatientEntities.PartitionOf(studyId);
        var id = patient.GetString("StudyId")!;
        var column = Columns[type];
        var recorded = PatientEntities.Date(patient.GetString(column));
        if (recorded is null)
            return new ActionOutcome.Conflict("type", $"No {type} is recorded: record it as an event first.");
        if (recorded == to)
            return new ActionOutcome.Done(new DateCorrectionAnswer(id, type, from, to, false), false);
        if (recorded != from)
        {
            return new ActionOutcome.Conflict(
                "from",
                $"The {type} is recorded on {Codes.Format(recorded.Value)}, not {Codes.Format(from)}: "
                    + "nothing was changed."
            );
        }
        if (await CheckAsync(patient, type, to, cancellationToken) is { } problem)
            return problem;

        var now = clock.GetUtcNow();
        var details = $$"""{"type":"{{type}}","from":"{{Codes.Format(from)}}","to":"{{Codes.Format(to)}}"}""";
        await storage.Patients.SubmitTransactionAsync(
            [
                new(
                    TableTransactionActionType.UpdateMerge,
                    new TableEntity(partition, PatientEntities.PatientRow) { [column] = Codes.Format(to) },
                    patient.ETag
                ),
                new(TableTransactionActionType.Add, AuditEntry.Of(now, actor, Action, details).ToEntity(partition)),
            ],
            cancellationToken
        );
        // Eligibility for the response rate depends on the dates: the status index follows (docs/storage.md).
        await statusIndex.TrySyncPatientAsync(id, cancellationToken);
        return new ActionOutcome.Done(new DateCorrectionAnswer(id, type, from, to, true), true);
    }

    /// <summary>
    /// The rules a new death or withdrawal date meets (PatientEvents), and no stored response after it
    /// (ResponseRules: never an answer after a death or withdrawal).
    /// </summary>
    private async Task<ActionOutcome?> CheckAsync(
        TableEntity patient,
        string type,
        DateOnly to,
        CancellationToken cancellationToken
    )
    {
        var procedure = PatientEntities.Date(patient.GetString("ProcedureDate"))!.Value;
        if (to > clinic.Today())
            return ActionOutcome.Bad("to", "Lies in the future.");
        if (to < procedure)
            return ActionOutcome.Bad("to", $"Lies before the procedure ({Codes.Format(procedure)}).");
        foreach (var wave in Waves.All)
        {
            var row = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
                patient.PartitionKey,
                PatientEntities.ResponsePrefix + wave.Code(),
                select: ["CompletedAt"],
                cancellationToken: cancellationToken
            );
            if (row.HasValue && row.Value!.GetDateTimeOffset("CompletedAt") is { } completed)
            {
                var day = clinic.DateOf(completed);
                if (day > to)
                {
                    return new ActionOutcome.Conflict(
                        "to",
                        $"The {wave.Code()} response was answered on {Codes.Format(day)}, after {Codes.Format(to)}: "
                            + $"a {type} date cannot precede an answer."
                    );
                }
            }
        }
        return null;
    }
}
