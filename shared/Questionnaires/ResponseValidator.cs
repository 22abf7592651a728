using System.Globalization;
using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Questionnaires;

/// <summary>One problem with a response: the stable field key (<c>eq5d.mobility</c>, <c>eq5d.vas</c>,
/// <c>odi.section3</c>, or <c>odi</c> for the list as a whole) and a message in the patient's language.</summary>
public sealed record ValidationError(string Field, string Message);

/// <summary>
/// A response read from a form: the answers that were valid (an invalid or empty field is null) and the errors.
/// </summary>
public sealed record ParsedResponse(Eq5dAnswers Eq5d, IReadOnlyList<int?> Odi, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Checks a response against its instruments: every EQ-5D level within the version's levels, the EQ VAS a whole
/// number 0–100, each ODI section 0–5 or skipped. An unanswered item is allowed (it only means no score) unless
/// <c>requireAnswers</c> is set, when every item not marked optional (ODI section 8 may be skipped) must be answered.
/// Messages name the item by its label in the patient's language.
/// </summary>
public sealed class ResponseValidator(Instrument eq5d, Instrument odi)
{
    public Instrument Eq5dInstrument { get; } = eq5d;

    public Instrument OdiInstrument { get; } = odi;

    /// <summary>Validates typed answers (the coordinator API). A null part (no EQ-5D, no ODI) is not checked.</summary>
    public IReadOnlyList<ValidationError> Validate(
        Eq5dAnswers? eq5dAnswers,
        IReadOnlyList<int?>? odiSections,
        Language language,
        bool requireAnswers = false
    )
    {
        var errors = new List<ValidationError>();
        if (eq5dAnswers is not null)
        {
            foreach (var (item, value) in Eq5dInstrument.Items.Zip(Eq5dValues(eq5dAnswers)))
            {
                Check(Eq5dInstrument, item, value, language, requireAnswers, errors);
            }
        }
        if (odiSections is not null)
        {
            if (odiSections.Count != Odi.Sections)
            {
                errors.Add(
                    new ValidationError(OdiInstrument.FieldPrefix, Messages.SectionCount(language, odiSections.Count))
                );
            }
            else
            {
                foreach (var (item, value) in OdiInstrument.Items.Zip(odiSections))
                {
                    Check(OdiInstrument, item, value, language, requireAnswers, errors);
                }
            }
        }
        return errors;
    }

    /// <summary>
    /// Reads a posted form whose field names are the field keys (<c>eq5d.mobility</c> … <c>odi.section10</c>);
    /// an empty or absent field is unanswered, other fields are ignored.
    /// </summary>
    public ParsedResponse Parse(
        IReadOnlyDictionary<string, string?> form,
        Language language,
        bool requireAnswers = false
    )
    {
        var errors = new List<ValidationError>();
        int? Read(Instrument instrument, InstrumentItem item)
        {
            var raw = form.GetValueOrDefault(instrument.FieldKey(item));
            if (string.IsNullOrWhiteSpace(raw))
            {
                Check(instrument, item, null, language, requireAnswers, errors);
                return null;
            }
            if (!int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add(OutOfRange(instrument, item, language));
                return null;
            }
            return Check(instrument, item, value, language, requireAnswers, errors) ? value : null;
        }
        var e = Eq5dInstrument.Items.Select(i => Read(Eq5dInstrument, i)).ToList();
        var sections = OdiInstrument.Items.Select(i => Read(OdiInstrument, i)).ToList();
        return new ParsedResponse(new Eq5dAnswers(e[0], e[1], e[2], e[3], e[4], e[5]), sections, errors);
    }

    // Same order as the instrument's items: the five dimensions, then the VAS (checked at load by InstrumentShape).
    private static int?[] Eq5dValues(Eq5dAnswers a) =>
        [a.Mobility, a.SelfCare, a.UsualActivities, a.Pain, a.Anxiety, a.Vas];

    private static bool Check(
        Instrument instrument,
        InstrumentItem item,
        int? value,
        Language language,
        bool requireAnswers,
        List<ValidationError> errors
    )
    {
        if (value is not { } v)
        {
            if (requireAnswers && !item.Optional)
            {
                errors.Add(
                    new ValidationError(instrument.FieldKey(item), Messages.Missing(language, item.Label[language]))
                );
                return false;
            }
            return true;
        }
        if (v >= item.Min && v <= item.Max)
            return true;
        errors.Add(OutOfRange(instrument, item, language));
        return false;
    }

    private static ValidationError OutOfRange(Instrument instrument, InstrumentItem item, Language language) =>
        new(
            instrument.FieldKey(item),
            item.IsScale
                ? Messages.WholeNumber(language, item.Label[language], item.Min, item.Max)
                : Messages.ChooseAnswer(language, item.Label[language], item.Min, item.Max)
        );

    private static class Messages
    {
        public static string Missing(Language l, string label) =>
            l == Language.Da ? $"{label}: du mangler at svare." : $"{label}: please answer this question.";

        public static string ChooseAnswer(Language l, string label, int min, int max) =>
            l == Language.Da
                ? $"{label}: vælg et af svarene ({min}–{max})."
                : $"{label}: please choose one of the answers ({min}–{max}).";

        public static string WholeNumber(Language l, string label, int min, int max) =>
            l == Language.Da
                ? $"{label}: skriv et helt tal fra {min} til {max}."
                : $"{label}: please enter a whole number from {min} to {max}.";

        public static string SectionCount(Language l, int count) =>
            l == Language.Da
                ? $"ODI har {Odi.Sections} afsnit, men svaret har {count}."
                : $"The ODI has {Odi.Sections} sections, but the response has {count}.";
    }
}
