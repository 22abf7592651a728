using System.Globalization;
using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Patients;

namespace PvpServerless.FollowUp;

/// <summary>
/// One wave as the status index shows it (table <c>FollowUpStatus</c>, docs/storage.md): derived from the wave row
/// and the patient row alone, so writing it again gives the same row. <see cref="Cell"/> names the counter it is
/// counted under in its partition's <c>~counts</c> row.
/// </summary>
public sealed record StatusEntry(
    string StudyId,
    Wave Wave,
    DateOnly DueDate,
    DateOnly OpensOn,
    DateOnly ClosesOn,
    WaveStatus Status,
    bool Eligible,
    string? SkipReason,
    DateOnly? AnsweredOn,
    int Reminders,
    string? EmailKind,
    string? EmailStatus,
    DateTimeOffset? LastSentAt,
    string? DeliveryState,
    DateTimeOffset? DeliveryAt,
    string? FailureReason
)
{
    /// <summary>The counter cell: status, eligibility and what the summary needs to know beyond them.</summary>
    public string Cell => StatusCells.Key(Status, Eligible, Facet);

    /// <summary>
    /// Answered: the clinic day of the answer (a cut-off counts it only from then). Invited or reminded: the window
    /// (overdue on a day inside it). Skipped: the reason. Otherwise nothing.
    /// </summary>
    public string Facet =>
        Status switch
        {
            WaveStatus.Answered => AnsweredOn is { } d ? StatusCells.Answered(DueDate, d) : "",
            WaveStatus.Invited or WaveStatus.Reminded => StatusCells.Window(DueDate, OpensOn, ClosesOn),
            WaveStatus.Skipped => SkipReason ?? "",
            _ => "",
        };

    /// <summary>
    /// The entry of an enrolled (active) patient's wave, or null: no such patient or wave, a pending enrolment, or a
    /// wave row whose due date is not <paramref name="dueDate"/> (it belongs to another partition).
    /// </summary>
    public static StatusEntry? Derive(
        TableEntity? patient,
        TableEntity? waveRow,
        DateOnly dueDate,
        FollowUpOptions options,
        ClinicClock clinic
    )
    {
        if (patient is null || waveRow is null || patient.GetString("Status") != PatientEntities.Active)
            return null;
        var w = WaveState.From(waveRow, options);
        if (w.DueDate != dueDate)
            return null;
        var death = PatientEntities.Date(patient.GetString("DeathDate"));
        var withdrawn = PatientEntities.Date(patient.GetString("WithdrawnDate"));
        var answeredAt = waveRow.GetDateTimeOffset("AnsweredAt");
        return new StatusEntry(
            patient.GetString("StudyId")!,
            w.Wave,
            w.DueDate,
            w.OpensOn,
            w.ClosesOn,
            w.Status,
            // As the nightly report's follow-up table (shared/Analysis/FollowUpOutcomes.cs) has it.
            !(death < w.DueDate || withdrawn < w.DueDate),
            w.Status == WaveStatus.Skipped ? w.SkipReason : null,
            answeredAt is { } at ? clinic.DateOf(at) : null,
            w.Reminders,
            w.EmailKind,
            w.EmailStatus == FollowUp.EmailStatus.None ? null : Codes.Of(w.EmailStatus),
            w.LastSentAt,
            waveRow.GetString("DeliveryState"),
            waveRow.GetDateTimeOffset("DeliveryAt"),
            w.Status == WaveStatus.Failed ? w.FailureReason : null
        );
    }

    public TableEntity ToEntity() =>
        new(StatusIndexKeys.PartitionOf(Wave, DueDate), StudyIds.Key(StudyId))
        {
            ["StudyId"] = StudyId,
            ["Wave"] = Wave.Code(),
            ["DueDate"] = Codes.Format(DueDate),
            ["OpensOn"] = Codes.Format(OpensOn),
            ["ClosesOn"] = Codes.Format(ClosesOn),
            ["Status"] = Codes.Of(Status),
            ["Eligible"] = Eligible,
            ["SkipReason"] = SkipReason,
            ["AnsweredOn"] = AnsweredOn is { } a ? Codes.Format(a) : null,
            ["Reminders"] = Reminders,
            ["EmailKind"] = EmailKind,
            ["EmailStatus"] = EmailStatus,
            ["LastSentAt"] = LastSentAt,
            ["DeliveryState"] = DeliveryState,
            ["DeliveryAt"] = DeliveryAt,
            ["FailureReason"] = FailureReason,
            ["Cell"] = Cell,
        };

    public static StatusEntry FromEntity(TableEntity e) =>
        new(
            e.GetString("StudyId") ?? "",
            Waves.TryParse(e.GetString("Wave"), out var w) ? w : throw new InvalidDataException("No wave."),
            PatientEntities.Date(e.GetString("DueDate")) ?? default,
            PatientEntities.Date(e.GetString("OpensOn")) ?? default,
            PatientEntities.Date(e.GetString("ClosesOn")) ?? default,
            Codes.TryParse<WaveStatus>(e.GetString("Status"), out var s) ? s : WaveStatus.Scheduled,
            e.GetBoolean("Eligible") ?? true,
            e.GetString("SkipReason"),
            PatientEntities.Date(e.GetString("AnsweredOn")),
            e.GetInt32("Reminders") ?? 0,
            e.GetString("EmailKind"),
            e.GetString("EmailStatus"),
            e.GetDateTimeOffset("LastSentAt"),
            e.GetString("DeliveryState"),
            e.GetDateTimeOffset("DeliveryAt"),
            e.GetString("FailureReason")
        );
}

/// <summary>The keys of the status index and of its counts (docs/storage.md, "FollowUpStatus").</summary>
public static class StatusIndexKeys
{
    /// <summary>
    /// How many counts rows a partition has. Each entry is counted in the row of its study key's shard, so writers of
    /// one due day contend for a sixteenth of the counts (docs/survey.md, "Under load"); the copy keeps their sum and
    /// each shard's version (<see cref="CopyRow"/>).
    /// </summary>
    public const int Shards = 16;

    /// <summary>The counts rows' common prefix; it sorts after every study key.</summary>
    public const string CountsPrefix = "~counts|";

    /// <summary>Entries only: every study key sorts before the counts rows.</summary>
    public const string EntriesFilter = "RowKey lt '~'";

    public static string PartitionOf(Wave wave, DateOnly dueDate) => $"{wave.Code()}|{Codes.Format(dueDate)}";

    /// <summary>The counts row of a shard: <c>~counts|00</c> … <c>~counts|15</c>.</summary>
    public static string CountsRow(int shard) => CountsPrefix + shard.ToString("D2", CultureInfo.InvariantCulture);

    public static bool TryParseCountsRow(string rowKey, out int shard)
    {
        shard = -1;
        return rowKey.StartsWith(CountsPrefix, StringComparison.Ordinal)
            && rowKey.Length == CountsPrefix.Length + 2
            && int.TryParse(
                rowKey.AsSpan(CountsPrefix.Length),
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out shard
            )
            && shard < Shards;
    }

    /// <summary>
    /// The shard of a study key: FNV-1a over its characters, so it is the same in every process and every release
    /// (string.GetHashCode is not).
    /// </summary>
    public static int ShardOf(string studyKey)
    {
        var hash = 2166136261u;
        foreach (var c in studyKey)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }

    public static bool TryParsePartition(string partition, out Wave wave, out DateOnly dueDate)
    {
        dueDate = default;
        var bar = partition.IndexOf('|', StringComparison.Ordinal);
        return Waves.TryParse(bar < 0 ? null : partition[..bar], out wave)
            && Codes.TryParseDate(partition[(bar + 1)..], out dueDate);
    }
}
