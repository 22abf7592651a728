namespace PvpServerless.Tests.Patients;

/// <summary>Valid enrolment bodies for tests; each call gives a new study id unless one is named.</summary>
public static class Enrolments
{
    private static int _next;

    public static string NewStudyId() =>
        $"PVP-{Interlocked.Increment(ref _next):D4}-{Guid.NewGuid().ToString("N")[..4]}";

    public static Dictionary<string, object?> Valid(string? studyId = null) =>
        new()
        {
            ["studyId"] = studyId ?? NewStudyId(),
            ["sex"] = "F",
            ["ageAtProcedure"] = 78,
            ["primaryMalignancy"] = "chronicLymphocyticLeukaemia",
            ["diagnosisBasis"] = "boneMarrowBiopsy",
            ["procedureDate"] = "2025-03-31",
            ["levels"] = new object[]
            {
                new { level = "T12", posteriorWallDefect = true },
                new { level = "L1", posteriorWallDefect = false },
            },
            ["complications"] = Array.Empty<object>(),
            ["email"] = "patient@example.dk",
            ["language"] = "da",
        };
}
