using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Patients;

/// <summary>A validated enrolment: the clinical record to store and, apart from it, the contact.</summary>
public sealed record Enrolment(
    string StudyId,
    Sex Sex,
    int AgeAtProcedure,
    PrimaryMalignancy PrimaryMalignancy,
    DiagnosisBasis DiagnosisBasis,
    DateOnly ProcedureDate,
    IReadOnlyList<TreatedLevel> Levels,
    IReadOnlyList<Complication> Complications,
    Contact Contact
);

/// <summary>How to reach a patient. Stored in the contacts table only; never in reports, logs or exports.</summary>
public sealed record Contact(string Email, Language Language);
