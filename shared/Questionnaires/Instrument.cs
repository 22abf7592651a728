using System.Text.Json.Serialization;
using PvpServerless.Domain;

namespace PvpServerless.Questionnaires;

/// <summary>A text in both languages of the study.</summary>
public sealed record LocalizedText(string Da, string En)
{
    public string this[Language language] => language == Language.Da ? Da : En;
}

/// <summary>Where the wording of an instrument comes from.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<WordingSource>))]
public enum WordingSource
{
    /// <summary>Our own plain-language wording, shipped with the system. Not the official (licensed) text.</summary>
    PlainLanguage,

    /// <summary>The official wording, loaded from a site's licensed wording file.</summary>
    Licensed,
}

/// <summary>One answer of a choice item: the value that is stored and scored, and its text.</summary>
public sealed record AnswerOption(int Value, LocalizedText Text);

/// <summary>
/// One question. A choice item has answers with contiguous values; a scale item (the EQ VAS) takes any integer
/// from <see cref="Min"/> to <see cref="Max"/>, with a text for each end.
/// </summary>
/// <param name="Key">Stable key within the instrument, e.g. <c>mobility</c>, <c>section3</c>.</param>
/// <param name="Label">Short name used in error messages, e.g. "Walking about".</param>
/// <param name="Optional">The patient may skip it without being asked again (ODI section 8).</param>
public sealed record InstrumentItem(
    string Key,
    LocalizedText Label,
    LocalizedText Text,
    IReadOnlyList<AnswerOption> Answers,
    bool Optional,
    ScaleRange? Scale
)
{
    public bool IsScale => Scale is not null;

    public int Min => Scale?.Min ?? Answers[0].Value;

    public int Max => Scale?.Max ?? Answers[^1].Value;
}

/// <summary>An integer scale with a text at each end.</summary>
public sealed record ScaleRange(int Min, int Max, LocalizedText MinLabel, LocalizedText MaxLabel);

/// <summary>A questionnaire as the patient sees it.</summary>
/// <param name="Id"><c>eq5d-3l</c>, <c>eq5d-5l</c> or <c>odi-2.1a</c>.</param>
/// <param name="FieldPrefix">Prefix of the field keys: <c>eq5d</c> or <c>odi</c>.</param>
public sealed record Instrument(
    string Id,
    string FieldPrefix,
    WordingSource Wording,
    LocalizedText Title,
    LocalizedText Introduction,
    IReadOnlyList<InstrumentItem> Items
)
{
    /// <summary>The stable field key of an item, e.g. <c>eq5d.mobility</c>, <c>odi.section3</c>.</summary>
    public string FieldKey(InstrumentItem item) => $"{FieldPrefix}.{item.Key}";

    public InstrumentItem Item(string key) =>
        Items.FirstOrDefault(i => i.Key == key) ?? throw new KeyNotFoundException($"{Id} has no item '{key}'.");
}
