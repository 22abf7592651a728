using PvpServerless.Domain;

namespace PvpServerless.Cohort;

/// <summary>
/// The de-identified cohort document of docs/cohort-document.md: the one input of the outcome analysis,
/// whether it was built from Table Storage or loaded from a researcher's file. Holds no contact data.
/// </summary>
public sealed record CohortDocument(
    int SchemaVersion,
    DateOnly CutoffDate,
    Eq5dSetting Eq5d,
    IReadOnlyList<CohortPatient> Patients
)
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>The EQ-5D instrument of a cohort ("3L" or "5L") and the value set that scores it.</summary>
public sealed record Eq5dSetting(string Version, string ValueSet);

public sealed record CohortPatient(
    string StudyId,
    Sex Sex,
    int AgeAtProcedure,
    PrimaryMalignancy PrimaryMalignancy,
    DiagnosisBasis DiagnosisBasis,
    DateOnly ProcedureDate,
    IReadOnlyList<TreatedLevel> Levels,
    IReadOnlyList<Complication> Complications,
    DateOnly? DeathDate,
    DateOnly? WithdrawnDate,
    IReadOnlyList<WaveResponse> Responses
);

/// <param name="CementLeakage">From the three-month X-ray; null until assessed.</param>
public sealed record TreatedLevel(
    string Level,
    bool PosteriorWallDefect,
    bool? CementLeakage,
    bool LeakageSymptomatic = false
);

public sealed record Complication(string Type, bool Symptomatic);

/// <param name="Odi">ODI 2.1a sections 1–10 (0–5, null = skipped); section 1 is the pain item.</param>
public sealed record WaveResponse(Wave Wave, DateTimeOffset CompletedAt, Eq5dAnswers? Eq5d, IReadOnlyList<int?>? Odi);

/// <summary>EQ-5D dimension levels (1–3 for 3L, 1–5 for 5L) and the EQ VAS (0–100); any may be missing.</summary>
public sealed record Eq5dAnswers(int? Mobility, int? SelfCare, int? UsualActivities, int? Pain, int? Anxiety, int? Vas);
