using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Patients;

/// <summary>The rules of each event type: what a well-formed event is, and what it does to a patient's record.</summary>
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
    private static partial Regex ComplicationCode();

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
        switch (r.Type)
        {
            case Death or Withdrawal when !Codes.TryParseDate(r.Date, out _):
                errors.Add("date", "Required: a date as yyyy-MM-dd.");
                break;
            case LeakageAssessment:
                if (r.Levels is not { Count: > 0 })
                    errors.Add("levels", "Required: at least one level with its X-ray assessment.");
                for (var i = 0; i < (r.Levels?.Count ?? 0); i++)
                {
                    var l = r.Levels![i];
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
                if (r.Levels?.Where(l => l?.Level is not null).GroupBy(l => l!.Level).Any(g => g.Count() > 1) == true)
                {
                    errors.Add("levels", "A level is listed twice.");
                }
                break;
            case ComplicationEvent:
                if (r.ComplicationType is null || !ComplicationCode().IsMatch(r.ComplicationType))
                {
                    errors.Add("complicationType", "Required: a code of letters and digits, e.g. pulmonaryEmbolism.");
                }
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

    /// <summary>What the (well-formed) event does to the stored record; decided against the record as it is now.</summary>
    public static Outcome Apply(PatientEventRequest r, TableEntity patient, DateOnly today)
    {
        var procedure = PatientEntities.Date(patient.GetString("ProcedureDate"))!.Value;
        switch (r.Type)
        {
            case Death or Withdrawal:
                {
                    var column = r.Type == Death ? "DeathDate" : "WithdrawnDate";
                    var date = PatientEntities.Date(r.Date)!.Value;
                    if (date > today)
                        return new Outcome.Rejected("date", "Lies in the future.", false);
                    if (date < procedure)
                        return new Outcome.Rejected(
                            "date",
                            $"Lies before the procedure ({Codes.Format(procedure)}).",
                            false
                        );
                    var recorded = PatientEntities.Date(patient.GetString(column));
                    if (recorded == date)
                        return new Outcome.Unchanged();
                    if (recorded is not null)
                    {
                        return new Outcome.Rejected(
                            "date",
                            $"A {r.Type} is already recorded on {Codes.Format(recorded.Value)}.",
                            true
                        );
                    }
                    return new Outcome.Changed(
                        new Dictionary<string, object?> { [column] = Codes.Format(date) },
                        Details(new { date = Codes.Format(date) })
                    );
                }
            case LeakageAssessment:
                {
                    var levels = PatientEntities.Levels(patient).ToDictionary(l => l.Level);
                    var changed = false;
                    foreach (var (item, i) in r.Levels!.Select((l, i) => (l!, i)))
                    {
                        if (!levels.TryGetValue(item.Level!, out var level))
                        {
                            return new Outcome.Rejected(
                                $"levels[{i}].level",
                                $"{item.Level} was not treated in this patient.",
                                false
                            );
                        }
                        var assessed = level with
                        {
                            CementLeakage = item.CementLeakage,
                            LeakageSymptomatic = item.LeakageSymptomatic ?? false,
                        };
                        changed |= assessed != level;
                        levels[item.Level!] = assessed;
                    }
                    if (!changed)
                        return new Outcome.Unchanged();
                    var ordered = levels.Values.OrderBy(l => SpinalLevel.Parse(l.Level).Ordinal).ToList();
                    return new Outcome.Changed(
                        new Dictionary<string, object?>
                        {
                            ["Levels"] = JsonSerializer.Serialize(ordered, PatientEntities.Json),
                        },
                        Details(new { levels = r.Levels })
                    );
                }
            case ComplicationEvent:
                {
                    var list = PatientEntities
                        .Complications(patient)
                        .Append(new Complication(r.ComplicationType!, r.Symptomatic!.Value))
                        .ToList();
                    return new Outcome.Changed(
                        new Dictionary<string, object?>
                        {
                            ["Complications"] = JsonSerializer.Serialize(list, PatientEntities.Json),
                        },
                        Details(new { type = r.ComplicationType, symptomatic = r.Symptomatic })
                    );
                }
            default: // contactChange: the contact table is written by the service; the partition only keeps the fact.
                return new Outcome.Changed(
                    new Dictionary<string, object?>(),
                    Details(
                        new { email = r.Email is null ? "unchanged" : "changed", language = r.Language ?? "unchanged" }
                    )
                );
        }
    }

    private static string Details(object value) => JsonSerializer.Serialize(value, PatientEntities.Json);
}
