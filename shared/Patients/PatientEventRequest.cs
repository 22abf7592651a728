namespace PvpServerless.Patients;

/// <summary>
/// The body of <c>POST /api/patients/{studyId}/events</c>. <c>type</c> decides which other fields matter:
/// <list type="bullet">
/// <item><c>death</c>, <c>withdrawal</c>: <c>date</c>.</item>
/// <item><c>leakageAssessment</c>: <c>levels</c> with <c>level</c>, <c>cementLeakage</c> and optional
/// <c>leakageSymptomatic</c>.</item>
/// <item><c>complication</c>: <c>complicationType</c>, <c>symptomatic</c>.</item>
/// <item><c>contactChange</c>: <c>email</c> and/or <c>language</c>.</item>
/// </list>
/// <c>id</c> is optional: a client may name its event to make a retry safe; otherwise the content names it.
/// </summary>
public sealed record PatientEventRequest(
    string? Type,
    string? Id,
    string? Date,
    IReadOnlyList<LeakageRequest?>? Levels,
    string? ComplicationType,
    bool? Symptomatic,
    string? Email,
    string? Language
);

public sealed record LeakageRequest(string? Level, bool? CementLeakage, bool? LeakageSymptomatic);
