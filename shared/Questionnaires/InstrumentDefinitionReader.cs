using System.Text.Json;
using System.Text.Json.Serialization;

namespace PvpServerless.Questionnaires;

/// <summary>
/// Reads and validates questionnaire definitions in the JSON format of docs/questionnaires.md: every title, item
/// and answer has non-empty <c>da</c> and <c>en</c> text, answer values are contiguous, and the items match the
/// structure the scoring relies on (<see cref="InstrumentShape"/>). Errors name the instrument and the item.
/// </summary>
internal static class InstrumentDefinitionReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>One instrument, as the embedded files hold it.</summary>
    public static Instrument ReadInstrument(Stream json, string source, WordingSource defaultWording) =>
        Validate(Deserialize<InstrumentDto>(json, source), source, defaultWording);

    /// <summary>
    /// A site's wording file: <c>{ "instruments": [ … ] }</c>, each replacing the built-in definition of its id.
    /// </summary>
    public static IReadOnlyList<Instrument> ReadWordingFile(Stream json, string source)
    {
        var file = Deserialize<WordingFileDto>(json, source);
        if (file.Instruments is not { Count: > 0 } list)
        {
            throw new InstrumentDefinitionException(source, null, null, "the wording file has no 'instruments'.");
        }
        var instruments = list.Select(dto => Validate(dto, source, WordingSource.Licensed)).ToList();
        var twice = instruments.GroupBy(i => i.Id).FirstOrDefault(g => g.Count() > 1);
        return twice is null
            ? instruments
            : throw new InstrumentDefinitionException(source, twice.Key, null, "the instrument is defined twice.");
    }

    private static T Deserialize<T>(Stream json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json)
                ?? throw new InstrumentDefinitionException(source, null, null, "the file is empty (null).");
        }
        catch (JsonException e)
        {
            throw new InstrumentDefinitionException(source, null, null, $"not a valid definition: {e.Message}");
        }
    }

    private static Instrument Validate(InstrumentDto dto, string source, WordingSource defaultWording)
    {
        var shape =
            InstrumentShape.All.FirstOrDefault(s => s.Id == dto.Id)
            ?? throw new InstrumentDefinitionException(
                source,
                dto.Id,
                null,
                $"unknown instrument id; known: {string.Join(", ", InstrumentShape.All.Select(s => s.Id))}."
            );
        var id = shape.Id;
        var items = dto.Items ?? [];
        if (items.Count != shape.Items.Count)
        {
            throw new InstrumentDefinitionException(
                source,
                id,
                null,
                $"has {items.Count} items; it needs {shape.Items.Count}."
            );
        }
        return new Instrument(
            id,
            shape.FieldPrefix,
            dto.Wording ?? defaultWording,
            Text(dto.Title, source, id, null, "title"),
            Text(dto.Introduction, source, id, null, "introduction"),
            shape.Items.Select((s, n) => Item(items[n], s, n + 1, source, id)).ToList()
        );
    }

    private static InstrumentItem Item(ItemDto dto, ItemShape shape, int position, string source, string id)
    {
        if (dto.Key != shape.Key)
        {
            throw new InstrumentDefinitionException(
                source,
                id,
                dto.Key ?? $"#{position}",
                $"item {position} must have the key '{shape.Key}'."
            );
        }
        var key = shape.Key;
        var label = Text(dto.Label, source, id, key, "label");
        var text = Text(dto.Text, source, id, key, "text");
        if (shape.Scale)
        {
            if (dto.Scale is not { } scale || dto.Answers is { Count: > 0 })
            {
                throw new InstrumentDefinitionException(source, id, key, "needs a 'scale' and no 'answers'.");
            }
            if (scale.Min != shape.Min || scale.Max != shape.Max)
            {
                throw new InstrumentDefinitionException(
                    source,
                    id,
                    key,
                    $"the scale must run from {shape.Min} to {shape.Max}."
                );
            }
            var range = new ScaleRange(
                shape.Min,
                shape.Max,
                Text(scale.MinLabel, source, id, key, "scale minLabel"),
                Text(scale.MaxLabel, source, id, key, "scale maxLabel")
            );
            return new InstrumentItem(key, label, text, [], dto.Optional ?? false, range);
        }
        if (dto.Scale is not null || dto.Answers is not { Count: > 0 } answers)
        {
            throw new InstrumentDefinitionException(source, id, key, "needs 'answers' and no 'scale'.");
        }
        var options = new List<AnswerOption>(answers.Count);
        foreach (var answer in answers)
        {
            var expected = options.Count == 0 ? shape.Min : options[^1].Value + 1;
            if (answer.Value != expected)
            {
                throw new InstrumentDefinitionException(
                    source,
                    id,
                    key,
                    $"answer values must be contiguous from {shape.Min} to {shape.Max}: expected {expected}, found "
                        + $"{answer.Value?.ToString() ?? "none"}."
                );
            }
            options.Add(new AnswerOption(expected, Text(answer.Text, source, id, key, $"answer {expected}")));
        }
        if (options[^1].Value != shape.Max)
        {
            throw new InstrumentDefinitionException(
                source,
                id,
                key,
                $"answer values must run from {shape.Min} to {shape.Max}."
            );
        }
        return new InstrumentItem(key, label, text, options, dto.Optional ?? false, null);
    }

    private static LocalizedText Text(TextDto? dto, string source, string id, string? key, string what)
    {
        string Need(string? value, string language) =>
            string.IsNullOrWhiteSpace(value)
                ? throw new InstrumentDefinitionException(
                    source,
                    id,
                    key,
                    $"the {language} text of the {what} is missing."
                )
                : value.Trim();
        return new LocalizedText(Need(dto?.Da, "Danish (da)"), Need(dto?.En, "English (en)"));
    }

    private sealed record WordingFileDto(List<InstrumentDto>? Instruments);

    private sealed record InstrumentDto(
        string? Id,
        WordingSource? Wording,
        TextDto? Title,
        TextDto? Introduction,
        List<ItemDto>? Items,
        string? Note = null
    );

    private sealed record ItemDto(
        string? Key,
        TextDto? Label,
        TextDto? Text,
        List<AnswerDto>? Answers,
        ScaleDto? Scale,
        bool? Optional
    );

    private sealed record AnswerDto(int? Value, TextDto? Text);

    private sealed record ScaleDto(int Min, int Max, TextDto? MinLabel, TextDto? MaxLabel);

    private sealed record TextDto(string? Da, string? En);
}
