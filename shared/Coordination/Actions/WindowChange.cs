using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Patients;

namespace PvpServerless.Coordination.Actions;

/// <summary>The body of <c>PUT /api/patients/{studyId}/waves/{wave}/window</c>: the window's new closing day.</summary>
public sealed record WindowRequest(string? ClosesOn);

public sealed record WindowAnswer(
    string StudyId,
    string Wave,
    DateOnly OpensOn,
    DateOnly ClosesOn,
    string State,
    bool Changed
);

/// <summary>
/// Moves a wave's closing day (usually later: a patient asked for more time). Bounded: not before today nor the
/// opening day, not after the last day an answer to the wave is taken (<see cref="WaveRules.LastAnswerDay"/>). An
/// expired wave opens again. The wave's link works until the new day; the action index gets the day after it, the
/// old expiry row goes, and the scheduler decides about the wave at once (docs/coordination.md, "Window").
/// </summary>
public sealed class WindowChange(
    FollowUpStore store,
    ScheduleIndex index,
    TokenStore tokens,
    WaveReview review,
    ClinicClock clinic,
    ActionRetry retry,
    IOptions<FollowUpOptions> options,
    TimeProvider clock
)
{
    public const string Action = "windowChanged";

    private readonly byte[] _tokenKey = Convert.FromBase64String(options.Value.TokenKey);

    public async Task<ActionOutcome> ChangeAsync(
        string studyId,
        string waveCode,
        WindowRequest? request,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var errors = new FieldErrors();
        if (!Waves.TryParse(waveCode, out var wave))
            errors.Add("wave", "baseline, 3m or 1y.");
        if (!Codes.TryParseDate(request?.ClosesOn, out var closesOn))
            errors.Add("closesOn", "Required: the window's new closing day as yyyy-MM-dd.");
        if (!errors.IsEmpty)
            return new ActionOutcome.Invalid(errors.ToDictionary());
        var outcome = await retry.RunAsync(c => TryChangeAsync(studyId, wave, closesOn, actor, c), cancellationToken);
        if (outcome is ActionOutcome.Done { Answer: WindowAnswer answer })
        {
            // Also on a repeat: a crash after the change may have left the index or the link behind.
            await FollowAsync(answer, cancellationToken);
            await review.ReviewAsync(answer.StudyId, [wave], cancellationToken);
        }
        return outcome;
    }

    private async Task<ActionOutcome> TryChangeAsync(
        string studyId,
        Wave wave,
        DateOnly closesOn,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        if (await store.ReadAsync(studyId, wave, cancellationToken) is not { Standing.Active: true } context)
            return new ActionOutcome.NotFound($"No patient with study id {studyId}.");
        var w = context.Wave;
        var reopen = w.Status == WaveStatus.Expired;
        if (closesOn == w.ClosesOn && !reopen)
            return Answer(context, w.ClosesOn, Codes.Of(w.Status), changed: false);
        if (Refuse(context) is { } refused)
            return refused;
        var today = clinic.Today();
        var procedure = PatientEntities.Date(context.Patient.GetString("ProcedureDate"))!.Value;
        if (WaveRules.CheckClosesOn(w, procedure, closesOn, today) is { } problem)
            return ActionOutcome.Bad("closesOn", problem);

        var columns = new Dictionary<string, object?> { ["ClosesOn"] = Codes.Format(closesOn) };
        var state = reopen ? WaveRules.ReopenedState(w) : Codes.Of(w.Status);
        if (reopen)
            columns["State"] = state;
        var details = new
        {
            from = w.ClosesOn,
            to = closesOn,
            reopened = reopen,
        };
        await store.ChangeAsync(context, columns, actor, Action, details, clock.GetUtcNow(), cancellationToken);
        // The old closing day's expiry row would only cost the scheduler a read; it goes, so the index says the truth.
        if (w.ClosesOn.AddDays(1) != closesOn.AddDays(1))
            await index.RemoveAsync(context.StudyId, wave, w.ClosesOn.AddDays(1), cancellationToken);
        return Answer(context, closesOn, state, changed: true);
    }

    private static ActionOutcome? Refuse(WaveContext context)
    {
        var w = context.Wave;
        var standing = context.Standing;
        if (standing.DeathDate is not null || standing.WithdrawnDate is not null)
            return WaveRules.RefuseEmail(context);
        return w.Status == WaveStatus.Answered
            ? new ActionOutcome.Conflict("wave", $"The {w.Wave.Code()} questionnaire is answered.")
            : null;
    }

    /// <summary>The wave's link and its expiry row follow the window.</summary>
    private async Task FollowAsync(WindowAnswer answer, CancellationToken cancellationToken)
    {
        Waves.TryParse(answer.Wave, out var wave);
        if (await store.ReadAsync(answer.StudyId, wave, cancellationToken) is not { } context)
            return;
        await index.AddAsync(context.StudyId, wave, answer.ClosesOn.AddDays(1), cancellationToken);
        if (context.Wave.TokenNonce is { } nonce)
        {
            var token = SurveyToken.Derive(_tokenKey, nonce);
            await tokens.SetClosesOnAsync(token.Hash, context.Wave.ClosesOn, cancellationToken);
        }
    }

    private static ActionOutcome.Done Answer(WaveContext context, DateOnly closesOn, string state, bool changed) =>
        new(
            new WindowAnswer(context.StudyId, context.Wave.Wave.Code(), context.Wave.OpensOn, closesOn, state, changed),
            changed
        );
}
