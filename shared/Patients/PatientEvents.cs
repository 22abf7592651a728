using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Patients;

/// <summary>
/// The rules of each event type: what a well-formed event is, and what it does to a patient's record.
/// </summary>
internal static partial class PatientEvents
{
    public const string Death = "death";
    public const string Withdrawal = "withdrawal";
    public const string LeakageAssessment = "leakageAssessment";
    public const string ComplicationEvent = "complication";
    public const string ContactChange = "contactChange";

    private static readonly string[] Types = [Death, Withdrawal, LeakageAssessment, ComplicationEvent, ContactChange];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$", RegexOptions.CultureInvariant)]
    internal static partial Regex ComplicationCode();

    public abstract record Outcome
    {
        public sealed record Changed(IReadOnlyDictionary<string, object?> Columns, string AuditDetails) : Outcome;

        public sealed record Unchanged : Outcome;

        public sealed record Rejected(string Field, string Message, bool IsConflict) : Outcome;
    }

    public static void ValidateShape(PatientEventRequest r, FieldErrors errors)
    {
        if (r.Type is null || !Types.Contains(r.Type))
        {
            errors.Add("type", $"Required, one of: {string.Join(", ", Types)}.");
            return;
        }
        if (r.Id is not null && !EventIdPattern().IsMatch(r.Id))
            errors.Add("id", "1–64 letters, digits, '_' or '-'.");
        var dateRequired = r.Type is Death or Withdrawal;
        if ((dateRequired || r.Date is not null) && !Codes.TryParseDate(r.Date, out _))
            errors.Add("date", dateRequired ? "Required: a date as yyyy-MM-dd." : "A date as yyyy-MM-dd.");
        switch (r.Type)
        {
            case LeakageAssessment:
                ValidateLevels(r.Levels, errors);
                break;
            case ComplicationEvent:
                if (r.ComplicationType is null || !ComplicationCode().IsMatch(r.ComplicationType))
                    errors.Add("complicationType", "Required: a code of letters and digits, e.g. pulmonaryEmbolism.");
                if (r.Symptomatic is null)
                    errors.Add("symptomatic", "Required: true or false.");
                break;
            case ContactChange:
                if (r.Email is null && r.Language is null)
                    errors.Add("email", "Give a new e-mail address, a language, or both.");
                if (r.Email is not null && !EnrolmentValidator.IsEmail(r.Email))
                    errors.Add("email", "Not an e-mail address such as name@example.dk.");
                if (r.Language is not null && !Codes.TryParse<Language>(r.Language, out _))
                    errors.Add("language", "\"da\" or \"en\".");
                break;
        }
    }

    private static void ValidateLevels(IReadOnlyList<LeakageRequest?>? levels, FieldErrors errors)
    {
        if (levels is not { Count: > 0 })
        {
            errors.Add("levels", "Required: at least one level with its X-ray assessment.");
            return;
        }
        if (levels.Count > ClinicalLimits.MaxLevels)
        {
            errors.Add("levels", $"At most {ClinicalLimits.MaxLevels} levels.");
            return;
        }
        for (var i = 0; i < levels.Count; i++)
        {
            var l = levels[i];
            if (!SpinalLevel.TryParse(l?.Level, out _))
                errors.Add($"levels[{i}].level", "Required: C1–C7, T1–T12, L1–L5 or S1.");
            if (l?.CementLeakage is null)
                errors.Add($"levels[{i}].cementLeakage", "Required: true or false.");
            if (l is { CementLeakage: false, LeakageSymptomatic: true })
            {
                errors.Add(
                    $"levels[{i}].leakageSymptomatic",
                    "A level without leakage cannot have a symptomatic leakage."
                );
            }
        }
        if (levels.Where(l => l?.Level is not null).GroupBy(l => l!.Level).Any(g => g.Count() > 1))
            errors.Add("levels", "A level is listed twice.");
    }

    /// <summary>
    /// The event reduced to what it means: only the fields its type uses, in a fixed order, levels sorted. Two
    /// requests that say the same thing (extra fields, another order) have the same normal form, hence the same
    /// content-derived id. A contact change has no normal form here: it never leaves the contacts table.
    /// </summary>
    public static string Normalise(PatientEventRequest r) =>
        r.Type switch
        {
            Death or Withdrawal => Details(new { type = r.Type, date = r.Date }),
            LeakageAssessment => Details(
                new
                {
                    type = r.Type,
                    date = r.Date,
                    levels = r.Levels!.Select(l => new
                    {
                        level = l!.Level,
                        cementLeakage = l.CementLeakage,
                        leakageSymptomatic = l.LeakageSymptomatic ?? false,
                    })
                        .OrderBy(l => SpinalLevel.Parse(l.level!).Ordinal),
                }
            ),
            ComplicationEvent => Details(
                new
                {
                    type = r.Type,
                    complicationType = r.ComplicationType,
                    symptomatic = r.Symptomatic,
                    date = r.Date,
                }
            ),
            _ => throw new InvalidOperationException($"{r.Type} has no normal form."),
        };

    /// <summary>
    /// What the (well-formed) event does to the stored record; decided against the record as it is now.
    /// </summary>
    public static Outcome Apply(PatientEventRequest r, TableEntity patient, DateOnly today)
    {
        var procedure = PatientEntities.Date(patient.GetString("ProcedureDate"))!.Value;
        // Complications and assessments without a date became known today.
        var date = PatientEntities.Date(r.Date) ?? today;
        if (date > today)
            return new Outcome.Rejected("date", "Lies in the future.", false);
        if (date < procedure)
            return new Outcome.Rejected("date", $"Lies before the procedure ({Codes.Format(procedure)}).", false);
        return r.Type switch
        {
            Death or Withdrawal => EndOfFollowUp(r.Type, date, patient),
            LeakageAssessment => Assess(r.Levels!, date, patient),
            ComplicationEvent => AddComplication(r, date, patient),
            _ => throw new InvalidOperationException($"{r.Type} is not applied to the patient partition."),
        };
    }

    private static Outcome EndOfFollowUp(string type, DateOnly date, TableEntity patient)
    {
        var column = type == Death ? "DeathDate" : "WithdrawnDate";
        var recorded = PatientEntities.Date(patient.GetString(column));
        if (recorded == date)
            return new Outcome.Unchanged();
        if (recorded is not null)
            return new Outcome.Rejected(
                "date",
                $"A {type} is already recorded on {Codes.Format(recorded.Value)}.",
                true
            );
        return new Outcome.Changed(
            new Dictionary<string, object?> { [column] = Codes.Format(date) },
            Details(new { date = Codes.Format(date) })
        );
    }

    private static Outcome Assess(IReadOnlyList<LeakageRequest?> requested, DateOnly date, TableEntity patient)
    {
        var enrolled = PatientEntities.Levels(patient);
        var history = PatientEntities.LeakageAssessments(patient);
        for (var i = 0; i < requested.Count; i++)
        {
            if (enrolled.All(l => l.Level != requested[i]!.Level))
                return new Outcome.Rejected(
                    $"levels[{i}].level",
                    $"{requested[i]!.Level} was not treated in this patient.",
                    false
                );
        }
        var assessment = new LeakageAssessment(
            date,
            requested
                .Select(l => new LevelLeakage(l!.Level!, l.CementLeakage!.Value, l.LeakageSymptomatic ?? false))
                .ToList()
        );
        if (history.Any(h => h.AssessedOn == date && h.Levels.SequenceEqual(assessment.Levels)))
            return new Outcome.Unchanged();
        if (history.Count >= ClinicalLimits.MaxLeakageAssessments)
            return new Outcome.Rejected(
                "levels",
                $"At most {ClinicalLimits.MaxLeakageAssessments} assessments per patient.",
                true
            );
        var assessments = history.Append(assessment).ToList();
        var current = ClinicalLimits.LevelsKnownOn(enrolled, assessments, DateOnly.MaxValue);
        return new Outcome.Changed(
            new Dictionary<string, object?>
            {
                ["Levels"] = JsonSerializer.Serialize(current, PatientEntities.Json),
                ["LeakageAssessments"] = JsonSerializer.Serialize(assessments, PatientEntities.Json),
            },
            Details(new { date = Codes.Format(date), levels = assessment.Levels })
        );
    }

    private static Outcome AddComplication(PatientEventRequest r, DateOnly date, TableEntity patient)
    {
        var recorded = PatientEntities.Complications(patient);
        if (recorded.Count >= ClinicalLimits.MaxRecordedComplications)
            return new Outcome.Rejected(
                "complicationType",
                $"At most {ClinicalLimits.MaxRecordedComplications} complications per patient.",
                true
            );
        var list = recorded.Append(new RecordedComplication(r.ComplicationType!, r.Symptomatic!.Value, date)).ToList();
        return new Outcome.Changed(
            new Dictionary<string, object?>
            {
                ["Complications"] = JsonSerializer.Serialize(list, PatientEntities.Json),
            },
            Details(
                new
                {
                    type = r.ComplicationType,
                    symptomatic = r.Symptomatic,
                    date = Codes.Format(date),
                }
            )
        );
    }

    private static string Details(object value) => JsonSerializer.Serialize(value, PatientEntities.Json);
}
