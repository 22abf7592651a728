using System.Text.Json.Serialization;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Questionnaires;

namespace PvpServerless.Patients;

/// <summary>
/// The pseudonymous clinical record of one enrolled patient, as the coordinator API shows it.
/// Contact data (e-mail, language) is not part of it: it lives in its own table.
/// </summary>
public sealed record PatientRecord(
    string StudyId,
    Sex Sex,
    int AgeAtProcedure,
    PrimaryMalignancy PrimaryMalignancy,
    DiagnosisBasis DiagnosisBasis,
    DateOnly ProcedureDate,
    IReadOnlyList<TreatedLevel> Levels,
    IReadOnlyList<RecordedComplication> Complications,
    DateOnly? DeathDate,
    DateOnly? WithdrawnDate,
    DateTimeOffset EnrolledAt,
    IReadOnlyList<WaveSchedule> Waves
);

/// <summary>A questionnaire time point of one patient and the calendar day it falls due.</summary>
public sealed record WaveSchedule(Wave Wave, DateOnly DueDate)
{
    /// <summary>Where the wave stands: only in the view of one patient (<c>GET /api/patients/{studyId}</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WaveFollowUp? FollowUp { get; init; }
}

/// <summary>
/// A wave's follow-up state (docs/follow-up.md): its state and window, the reminders sent and, once answered, when,
/// from where (<c>coordinator</c> for paper, <c>web</c>) and the scores of the answers (docs/outcomes.md).
/// </summary>
public sealed record WaveFollowUp(
    string State,
    DateOnly OpensOn,
    DateOnly ClosesOn,
    int Reminders,
    DateTimeOffset? AnsweredAt,
    string? Source,
    ResponseScores? Scores
);

/// <summary>Who made a change: the function key's name and, when the caller says so, a person.</summary>
public sealed record Actor(string Key, string? Person = null)
{
    public override string ToString() => Person is null ? Key : $"{Key}:{Person}";
}
