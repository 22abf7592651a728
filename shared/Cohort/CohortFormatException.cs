namespace PvpServerless.Cohort;

/// <summary>
/// A cohort document that breaks a rule of docs/cohort-document.md. The whole document is refused; the message
/// names the patient (index and, when known, studyId) and the field path, e.g.
/// <c>patients[3] (PVP-0004): responses[1].odi has 11 items; expected 10</c>.
/// </summary>
public sealed class CohortFormatException : FormatException
{
    public CohortFormatException(
        int? patientIndex,
        string? studyId,
        string path,
        string problem,
        Exception? inner = null
    )
        : base(Describe(patientIndex, studyId, path, problem), inner)
    {
        PatientIndex = patientIndex;
        StudyId = studyId;
        FieldPath = path;
        Problem = problem;
    }

    /// <summary>Index in <c>patients</c>, or null for a document-level field.</summary>
    public int? PatientIndex { get; }

    public string? StudyId { get; }

    /// <summary>Path of the field, relative to the patient when there is one (e.g. <c>responses[1].odi</c>).</summary>
    public string FieldPath { get; }

    public string Problem { get; }

    private static string Describe(int? index, string? studyId, string path, string problem)
    {
        var where = index is { } i ? (studyId is null ? $"patients[{i}]: " : $"patients[{i}] ({studyId}): ") : "";
        return path.Length == 0 ? $"{where}{problem}" : $"{where}{path} {problem}";
    }
}

/// <summary>A rule broken inside one patient; the reader adds the patient before it leaves the loader.</summary>
internal sealed class FieldException(string path, string problem) : Exception(problem)
{
    public string FieldPath { get; } = path;
    public string Problem { get; } = problem;
}
