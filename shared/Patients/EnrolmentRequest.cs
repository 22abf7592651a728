namespace PvpServerless.Patients;

/// <summary>
/// The body of <c>POST /api/patients</c> as it arrives: enums and dates are strings here so that every bad field
/// can be named at once by <see cref="EnrolmentValidator"/> rather than the first one failing deserialisation.
/// </summary>
public sealed record EnrolmentRequest(
    string? StudyId,
    string? Sex,
    int? AgeAtProcedure,
    string? PrimaryMalignancy,
    string? DiagnosisBasis,
    string? ProcedureDate,
    IReadOnlyList<LevelRequest?>? Levels,
    IReadOnlyList<ComplicationRequest?>? Complications,
    string? Email,
    string? Language
);

public sealed record LevelRequest(string? Level, bool? PosteriorWallDefect);

public sealed record ComplicationRequest(string? Type, bool? Symptomatic);
