namespace PvpServerless.Questionnaires;

/// <summary>
/// The questionnaires of the study (EQ-5D-3L, EQ-5D-5L, ODI 2.1a), loaded from the embedded plain-language
/// definitions and, when a site has a licensed wording file, from that file instead for the instruments it holds.
/// Loading validates every definition (<see cref="InstrumentDefinitionReader"/>); an unusable one throws
/// <see cref="InstrumentDefinitionException"/>, so a bad file stops start-up rather than a patient's questionnaire.
/// </summary>
public sealed class InstrumentCatalog
{
    private readonly IReadOnlyDictionary<string, Instrument> _byId;

    private InstrumentCatalog(IReadOnlyList<Instrument> instruments) =>
        (Instruments, _byId) = (instruments, instruments.ToDictionary(i => i.Id, StringComparer.Ordinal));

    public IReadOnlyList<Instrument> Instruments { get; }

    /// <summary>The ODI 2.1a.</summary>
    public Instrument Odi => _byId[InstrumentShape.Odi];

    public Instrument Get(string id) =>
        _byId.TryGetValue(id, out var instrument)
            ? instrument
            : throw new KeyNotFoundException($"No instrument '{id}'.");

    /// <summary>The EQ-5D of a version: "3L" or "5L".</summary>
    public Instrument Eq5d(string version) =>
        version switch
        {
            "3L" => _byId[InstrumentShape.Eq5d3L],
            "5L" => _byId[InstrumentShape.Eq5d5L],
            _ => throw new ArgumentException($"No EQ-5D version '{version}' (3L or 5L).", nameof(version)),
        };

    /// <summary>
    /// The built-in definitions, with those in <paramref name="wordingFile"/> (when given) taking their place.
    /// </summary>
    public static InstrumentCatalog Load(string? wordingFile = null)
    {
        var instruments = InstrumentShape.All.ToDictionary(s => s.Id, LoadEmbedded, StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(wordingFile))
        {
            var path = Path.GetFullPath(wordingFile);
            if (!File.Exists(path))
                throw new InstrumentDefinitionException(path, null, null, "the wording file does not exist.");
            using var stream = File.OpenRead(path);
            foreach (var instrument in InstrumentDefinitionReader.ReadWordingFile(stream, path))
            {
                instruments[instrument.Id] = instrument;
            }
        }
        return new InstrumentCatalog(InstrumentShape.All.Select(s => instruments[s.Id]).ToList());
    }

    private static Instrument LoadEmbedded(InstrumentShape shape)
    {
        var name = $"PvpServerless.Questionnaires/Data/{shape.Id}.json";
        using var stream =
            typeof(InstrumentCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InstrumentDefinitionException(
                name,
                shape.Id,
                null,
                "the definition is not embedded in the core library."
            );
        var instrument = InstrumentDefinitionReader.ReadInstrument(stream, name, WordingSource.PlainLanguage);
        return instrument.Id == shape.Id
            ? instrument
            : throw new InstrumentDefinitionException(
                name,
                instrument.Id,
                null,
                $"expected the definition of '{shape.Id}'."
            );
    }
}
