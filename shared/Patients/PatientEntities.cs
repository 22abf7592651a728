using System.Text.Json;
using Azure.Data.Tables;
using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

/// <summary>Maps the rows of a patient partition (see docs/storage.md) to and from the domain records.</summary>
internal static class PatientEntities
{
    public const string PatientRow = "patient";
    public const string WavePrefix = "wave|";
    public const string EventPrefix = "event|";
    public const string ResponsePrefix = "response|";

    public const string Pending = "pending";
    public const string Active = "active";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PartitionOf(string studyId) => StudyIds.Key(studyId);

    public static TableEntity Patient(Enrolment e, DateTimeOffset enrolledAt, string requestHash) =>
        new(PartitionOf(e.StudyId), PatientRow)
        {
            ["StudyId"] = e.StudyId,
            ["Status"] = Pending,
            ["Sex"] = e.Sex.ToString(),
            ["AgeAtProcedure"] = e.AgeAtProcedure,
            ["PrimaryMalignancy"] = Codes.Of(e.PrimaryMalignancy),
            ["DiagnosisBasis"] = Codes.Of(e.DiagnosisBasis),
            ["ProcedureDate"] = Codes.Format(e.ProcedureDate),
            ["Levels"] = JsonSerializer.Serialize(e.Levels, Json),
            ["Complications"] = JsonSerializer.Serialize(
                e.Complications.Select(c => new RecordedComplication(c.Type, c.Symptomatic, e.ProcedureDate)),
                Json
            ),
            ["LeakageAssessments"] = "[]",
            ["DeathDate"] = null,
            ["WithdrawnDate"] = null,
            ["EnrolledAt"] = enrolledAt,
            ["RequestHash"] = requestHash,
        };

    public static TableEntity Wave(string studyId, WaveSchedule wave) =>
        new(PartitionOf(studyId), WavePrefix + wave.Wave.Code())
        {
            ["Wave"] = wave.Wave.Code(),
            ["DueDate"] = Codes.Format(wave.DueDate),
        };

    /// <summary>A new wave row with its window and state (docs/follow-up.md).</summary>
    public static TableEntity Wave(string studyId, WaveSchedule wave, DateOnly enrolledOn, FollowUpOptions options)
    {
        var (opens, closes) = WaveWindows.Of(wave.Wave, wave.DueDate, enrolledOn, options);
        var row = Wave(studyId, wave);
        row["OpensOn"] = Codes.Format(opens);
        row["ClosesOn"] = Codes.Format(closes);
        row["State"] = "scheduled";
        row["Reminders"] = 0;
        return row;
    }

    public static WaveSchedule ToWave(TableEntity w) =>
        new(ParseWave(w.GetString("Wave")), Date(w.GetString("DueDate"))!.Value);

    public static PatientRecord ToRecord(TableEntity p, IEnumerable<WaveSchedule> waves) =>
        new(
            p.GetString("StudyId")!,
            Enum.Parse<Sex>(p.GetString("Sex")!),
            p.GetInt32("AgeAtProcedure") ?? 0,
            Parse<PrimaryMalignancy>(p.GetString("PrimaryMalignancy")),
            Parse<DiagnosisBasis>(p.GetString("DiagnosisBasis")),
            Date(p.GetString("ProcedureDate"))!.Value,
            Levels(p),
            Complications(p),
            Date(p.GetString("DeathDate")),
            Date(p.GetString("WithdrawnDate")),
            p.GetDateTimeOffset("EnrolledAt") ?? default,
            waves.OrderBy(w => w.Wave).ToList()
        );

    public static IReadOnlyList<TreatedLevel> Levels(TableEntity p) =>
        JsonSerializer.Deserialize<List<TreatedLevel>>(p.GetString("Levels") ?? "[]", Json) ?? [];

    public static IReadOnlyList<RecordedComplication> Complications(TableEntity p) =>
        JsonSerializer.Deserialize<List<RecordedComplication>>(p.GetString("Complications") ?? "[]", Json) ?? [];

    public static IReadOnlyList<LeakageAssessment> LeakageAssessments(TableEntity p) =>
        JsonSerializer.Deserialize<List<LeakageAssessment>>(p.GetString("LeakageAssessments") ?? "[]", Json) ?? [];

    public static DateOnly? Date(string? text) => Codes.TryParseDate(text, out var d) ? d : null;

    private static T Parse<T>(string? code)
        where T : struct, Enum =>
        Codes.TryParse<T>(code, out var v)
            ? v
            : throw new InvalidDataException($"Stored value '{code}' is not a {typeof(T).Name}.");

    private static Wave ParseWave(string? code) =>
        Waves.TryParse(code, out var w) ? w : throw new InvalidDataException($"Stored value '{code}' is not a wave.");
}
