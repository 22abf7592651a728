namespace PvpServerless.Questionnaires;

/// <summary>
/// A questionnaire definition (built-in or a site's wording file) that cannot be used; names what is wrong.
/// </summary>
public sealed class InstrumentDefinitionException(string source, string? instrumentId, string? itemKey, string problem)
    : Exception(Describe(source, instrumentId, itemKey, problem))
{
    /// <summary>The embedded resource or wording file the definition came from.</summary>
    public string DefinitionSource { get; } = source;

    public string? InstrumentId { get; } = instrumentId;

    public string? ItemKey { get; } = itemKey;

    private static string Describe(string source, string? instrument, string? item, string problem) =>
        (instrument, item) switch
        {
            (null, _) => $"{source}: {problem}",
            (_, null) => $"{source}: instrument '{instrument}': {problem}",
            _ => $"{source}: instrument '{instrument}', item '{item}': {problem}",
        };
}
