using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Patients;

/// <summary>Checks every field of an enrolment and names each bad one; a request passes whole or not at all.</summary>
public sealed class EnrolmentValidator(IOptions<EnrolmentOptions> options, ClinicClock clinic)
{
    private readonly EnrolmentOptions _options = options.Value;

    public Enrolment? Validate(EnrolmentRequest? request, FieldErrors errors)
    {
        if (request is null)
        {
            errors.Add("body", "The body must be a JSON object with the enrolment's fields.");
            return null;
        }
        var today = clinic.Today();

        if (!StudyIds.IsValid(request.StudyId))
        {
            errors.Add(
                "studyId",
                "Required: 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit (and never a CPR number)."
            );
        }
        Sex sex = default;
        if (request.Sex is not ("M" or "F"))
            errors.Add("sex", "Required: \"M\" or \"F\".");
        else
            sex = request.Sex == "M" ? Sex.M : Sex.F;

        if (request.AgeAtProcedure is not { } age || age < _options.MinimumAge || age > _options.MaximumAge)
        {
            errors.Add("ageAtProcedure", $"Required: whole years from {_options.MinimumAge} to {_options.MaximumAge}.");
        }
        if (!Codes.TryParse<PrimaryMalignancy>(request.PrimaryMalignancy, out var malignancy))
        {
            errors.Add("primaryMalignancy", $"Required, one of: {Codes.List<PrimaryMalignancy>()}.");
        }
        if (!Codes.TryParse<DiagnosisBasis>(request.DiagnosisBasis, out var basis))
        {
            errors.Add("diagnosisBasis", $"Required, one of: {Codes.List<DiagnosisBasis>()}.");
        }
        if (!Codes.TryParseDate(request.ProcedureDate, out var procedureDate))
        {
            errors.Add("procedureDate", "Required: a date as yyyy-MM-dd.");
        }
        else if (procedureDate > today.AddDays(_options.MaxDaysAhead))
        {
            errors.Add("procedureDate", $"Lies more than {_options.MaxDaysAhead} days in the future.");
        }
        else if (procedureDate < _options.EarliestProcedureDate)
        {
            errors.Add(
                "procedureDate",
                $"Lies before the study's start ({Codes.Format(_options.EarliestProcedureDate)})."
            );
        }

        var levels = ValidateLevels(request.Levels, errors);
        var complications = ValidateComplications(request.Complications, errors);
        var contact = ValidateContact(request.Email, request.Language, errors);

        return errors.IsEmpty
            ? new Enrolment(
                request.StudyId!,
                sex,
                request.AgeAtProcedure!.Value,
                malignancy,
                basis,
                procedureDate,
                levels,
                complications,
                contact!
            )
            : null;
    }

    private static List<TreatedLevel> ValidateLevels(IReadOnlyList<LevelRequest?>? requested, FieldErrors errors)
    {
        var levels = new List<TreatedLevel>();
        if (requested is not { Count: > 0 })
        {
            errors.Add("levels", "Required: at least one treated level.");
            return levels;
        }
        if (requested.Count > ClinicalLimits.MaxLevels)
        {
            errors.Add("levels", $"At most {ClinicalLimits.MaxLevels} treated levels.");
            return levels;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requested.Count; i++)
        {
            var item = requested[i];
            if (!SpinalLevel.TryParse(item?.Level, out var level))
            {
                errors.Add($"levels[{i}].level", "Required: C1–C7, T1–T12, L1–L5 or S1.");
            }
            else if (!seen.Add(level.Code))
            {
                errors.Add($"levels[{i}].level", $"{level.Code} is listed twice.");
            }
            if (item?.PosteriorWallDefect is not { } defect)
            {
                errors.Add($"levels[{i}].posteriorWallDefect", "Required: true or false (from the MRI).");
                continue;
            }
            // Leakage is assessed on the three-month X-ray, so it is never known at enrolment.
            if (level.Code is not null)
                levels.Add(new TreatedLevel(level.Code, defect, CementLeakage: null));
        }
        return levels;
    }

    private static List<Complication> ValidateComplications(
        IReadOnlyList<ComplicationRequest?>? requested,
        FieldErrors errors
    )
    {
        var result = new List<Complication>();
        if (requested?.Count > ClinicalLimits.MaxComplications)
        {
            errors.Add("complications", $"At most {ClinicalLimits.MaxComplications} complications.");
            return result;
        }
        for (var i = 0; i < (requested?.Count ?? 0); i++)
        {
            var item = requested![i];
            if (item?.Type is null || !PatientEvents.ComplicationCode().IsMatch(item.Type))
            {
                errors.Add(
                    $"complications[{i}].type",
                    "Required: a code of letters and digits, e.g. pulmonaryEmbolism."
                );
            }
            if (item?.Symptomatic is null)
                errors.Add($"complications[{i}].symptomatic", "Required: true or false.");
            if (item is { Type: { } type, Symptomatic: { } symptomatic })
                result.Add(new Complication(type, symptomatic));
        }
        return result;
    }

    internal static Contact? ValidateContact(string? email, string? language, FieldErrors errors)
    {
        var emailOk = IsEmail(email);
        if (!emailOk)
            errors.Add("email", "Required: an e-mail address such as name@example.dk.");
        var languageOk = Codes.TryParse<Language>(language, out var lang);
        if (!languageOk)
            errors.Add("language", "Required: \"da\" or \"en\".");
        return emailOk && languageOk ? new Contact(email!.Trim(), lang) : null;
    }

    internal static bool IsEmail(string? email) =>
        email is { Length: > 2 and <= 254 }
        && MailAddress.TryCreate(email.Trim(), out var parsed)
        && parsed.Address == email.Trim()
        && parsed.Host.Contains('.', StringComparison.Ordinal);
}
