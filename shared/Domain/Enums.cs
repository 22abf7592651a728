using System.Text.Json.Serialization;

namespace PvpServerless.Domain;

// Enum values travel as camelCase strings, exactly as docs/cohort-document.md spells them.

[JsonConverter(typeof(JsonStringEnumConverter<Sex>))] // "M" and "F" as they are
public enum Sex
{
    M,
    F,
}

[JsonConverter(typeof(CamelCaseEnumConverter<PrimaryMalignancy>))]
public enum PrimaryMalignancy
{
    MultipleMyeloma,
    Lung,
    ChronicLymphocyticLeukaemia,
    Lymphoma,
    Gastric,
    Prostate,
    Colon,
    Ovary,
    Breast,
    Kidney,
    Other,
}

[JsonConverter(typeof(CamelCaseEnumConverter<DiagnosisBasis>))]
public enum DiagnosisBasis
{
    Histology,
    BoneMarrowBiopsy,
    Mri,
}

/// <summary>The three questionnaire time points of the study.</summary>
[JsonConverter(typeof(WaveJsonConverter))]
public enum Wave
{
    Baseline,
    ThreeMonths,
    OneYear,
}

[JsonConverter(typeof(CamelCaseEnumConverter<Language>))]
public enum Language
{
    Da,
    En,
}

/// <summary>Spine region of a treated level.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SpineRegion>))]
public enum SpineRegion
{
    Cervical,
    Thoracic,
    Lumbar,
    Sacral,
}

/// <summary>Strict camelCase enum converter: no integers, no other casing.</summary>
public sealed class CamelCaseEnumConverter<T>()
    : JsonStringEnumConverter<T>(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;
