using System.Text;
using System.Text.Json;
using PvpServerless.Domain;
using PvpServerless.Questionnaires;

namespace PvpServerless.Cohort;

/// <summary>
/// Reads the cohort document JSON (docs/cohort-document.md) and checks every rule of it. A document that breaks
/// one is refused as a whole with a <see cref="CohortFormatException"/> naming the patient and the field.
/// </summary>
public static class CohortReader
{
    // Plain dictionaries keep declaration order, so an error lists the codes as the docs do. Never mutated.
    private static readonly IReadOnlyDictionary<string, Sex> SexCodes = new Dictionary<string, Sex>
    {
        ["M"] = Sex.M,
        ["F"] = Sex.F,
    };
    private static readonly IReadOnlyDictionary<string, PrimaryMalignancy> MalignancyCodes =
        CamelCodes<PrimaryMalignancy>();
    private static readonly IReadOnlyDictionary<string, DiagnosisBasis> BasisCodes = CamelCodes<DiagnosisBasis>();
    private static readonly IReadOnlyDictionary<string, Wave> WaveCodes = Waves.All.ToDictionary(w => w.Code());

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static readonly string[] DocumentFields = ["schemaVersion", "cutoffDate", "eq5d", "patients"];
    private static readonly string[] PatientFields =
    [
        "studyId",
        "sex",
        "ageAtProcedure",
        "primaryMalignancy",
        "diagnosisBasis",
        "procedureDate",
        "levels",
        "complications",
        "deathDate",
        "withdrawnDate",
        "responses",
    ];

    /// <summary>Parses and validates UTF-8 JSON.</summary>
    /// <exception cref="CohortFormatException">The document breaks a rule; nothing is returned.</exception>
    public static CohortDocument Read(ReadOnlyMemory<byte> utf8Json)
    {
        // The parser checks UTF-8 only where it must; a string's bad bytes would surface later as an
        // InvalidOperationException from GetString (docs/evidence.md, "Hostile input").
        try
        {
            _ = StrictUtf8.GetCharCount(utf8Json.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new CohortFormatException(null, null, "", $"is not UTF-8 text (byte {e.Index})", e);
        }
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new CohortFormatException(null, null, "", $"is not valid JSON: {e.Message}", e);
        }
        using (json)
            return Read(json.RootElement);
    }

    public static CohortDocument Read(string json) => Read(System.Text.Encoding.UTF8.GetBytes(json));

    public static CohortDocument Read(JsonElement root)
    {
        JsonFields doc;
        int schema;
        DateOnly cutoff;
        Eq5dSetting eq5d;
        ValueSet valueSet;
        try
        {
            doc = new JsonFields(root, "", DocumentFields);
            schema = doc.Int("schemaVersion");
            if (schema != CohortDocument.CurrentSchemaVersion)
            {
                throw new FieldException(
                    "schemaVersion",
                    $"is {schema}; expected {CohortDocument.CurrentSchemaVersion}"
                );
            }
            cutoff = doc.Date("cutoffDate");
            var setting = new JsonFields(doc.Required("eq5d"), "eq5d", "version", "valueSet");
            eq5d = new Eq5dSetting(setting.String("version"), setting.String("valueSet"));
            if (eq5d.Version is not ("3L" or "5L"))
                throw new FieldException("eq5d.version", $"'{eq5d.Version}' is not 3L or 5L");
            if (!ValueSet.TryGet(eq5d.Version, eq5d.ValueSet, out valueSet!))
            {
                var known = ValueSet.Available.Where(a => a.Version == eq5d.Version).Select(a => a.Name);
                throw new FieldException(
                    "eq5d.valueSet",
                    $"'{eq5d.ValueSet}' is not a value set of EQ-5D-{eq5d.Version} (known: {string.Join(", ", known)})"
                );
            }
            _ = doc.Array("patients");
        }
        catch (FieldException e)
        {
            throw new CohortFormatException(null, null, e.FieldPath, e.Problem);
        }

        var patients = new List<CohortPatient>();
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in doc.Array("patients"))
        {
            string? studyId =
                element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("studyId", out var id)
                && id.ValueKind == JsonValueKind.String
                    ? id.GetString()
                    : null;
            try
            {
                var patient = ReadPatient(element, cutoff, valueSet.MaxLevel);
                if (!indexOf.TryAdd(patient.StudyId, index))
                {
                    throw new FieldException(
                        "studyId",
                        $"'{patient.StudyId}' is already the studyId of patients[{indexOf[patient.StudyId]}]"
                    );
                }
                patients.Add(patient);
            }
            catch (FieldException e)
            {
                throw new CohortFormatException(
                    index,
                    string.IsNullOrEmpty(studyId) ? null : studyId,
                    e.FieldPath,
                    e.Problem
                );
            }
            index++;
        }
        return new CohortDocument(schema, cutoff, eq5d, patients);
    }

    private static CohortPatient ReadPatient(JsonElement element, DateOnly cutoff, int maxLevel)
    {
        var p = new JsonFields(element, "", PatientFields);
        var studyId = p.String("studyId");
        if (studyId.Length == 0 || studyId.Trim() != studyId)
            throw new FieldException("studyId", $"'{studyId}' is empty or has surrounding spaces");
        var age = p.Int("ageAtProcedure");
        if (age is < 0 or > 130)
            throw new FieldException("ageAtProcedure", $"{age} is not an age in years (0–130)");
        var procedure = p.Date("procedureDate");
        if (procedure > cutoff)
            throw new FieldException(
                "procedureDate",
                $"{procedure:yyyy-MM-dd} is after cutoffDate {cutoff:yyyy-MM-dd}"
            );
        var death = p.OptionalDate("deathDate");
        var withdrawn = p.OptionalDate("withdrawnDate");
        CheckEventDate("deathDate", death, procedure, cutoff);
        CheckEventDate("withdrawnDate", withdrawn, procedure, cutoff);
        return new CohortPatient(
            studyId,
            p.Enum("sex", SexCodes),
            age,
            p.Enum("primaryMalignancy", MalignancyCodes),
            p.Enum("diagnosisBasis", BasisCodes),
            procedure,
            ReadLevels(p),
            ReadComplications(p),
            death,
            withdrawn,
            ReadResponses(p, cutoff, maxLevel)
        );
    }

    private static void CheckEventDate(string name, DateOnly? date, DateOnly procedure, DateOnly cutoff)
    {
        if (date is not { } d)
            return;
        if (d < procedure)
            throw new FieldException(name, $"{d:yyyy-MM-dd} is before procedureDate {procedure:yyyy-MM-dd}");
        if (d > cutoff)
            throw new FieldException(name, $"{d:yyyy-MM-dd} is after cutoffDate {cutoff:yyyy-MM-dd}");
    }

    private static List<TreatedLevel> ReadLevels(JsonFields p)
    {
        var levels = new List<TreatedLevel>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        foreach (var element in p.Array("levels"))
        {
            var path = $"levels[{i}]";
            var f = new JsonFields(
                element,
                path,
                "level",
                "posteriorWallDefect",
                "cementLeakage",
                "leakageSymptomatic"
            );
            var code = f.String("level");
            if (!SpinalLevel.TryParse(code, out _))
                throw new FieldException(f.PathOf("level"), $"'{code}' is not a level C1–C7, T1–T12, L1–L5 or S1");
            if (!seen.TryAdd(code, i))
                throw new FieldException(f.PathOf("level"), $"'{code}' is already levels[{seen[code]}]");
            var leakage = f.OptionalBool("cementLeakage");
            var symptomatic = f.OptionalBool("leakageSymptomatic") ?? false;
            if (symptomatic && leakage != true)
                throw new FieldException(f.PathOf("leakageSymptomatic"), "is true but cementLeakage is not");
            levels.Add(new TreatedLevel(code, f.Bool("posteriorWallDefect"), leakage, symptomatic));
            i++;
        }
        return levels;
    }

    private static List<Complication> ReadComplications(JsonFields p)
    {
        var complications = new List<Complication>();
        var i = 0;
        foreach (var element in p.Array("complications"))
        {
            var f = new JsonFields(element, $"complications[{i++}]", "type", "symptomatic");
            var type = f.String("type");
            if (string.IsNullOrWhiteSpace(type))
                throw new FieldException(f.PathOf("type"), "is empty");
            complications.Add(new Complication(type, f.Bool("symptomatic")));
        }
        return complications;
    }

    private static List<WaveResponse> ReadResponses(JsonFields p, DateOnly cutoff, int maxLevel)
    {
        var responses = new List<WaveResponse>();
        var seen = new Dictionary<Wave, int>();
        var i = 0;
        foreach (var element in p.Array("responses"))
        {
            var f = new JsonFields(element, $"responses[{i}]", "wave", "completedAt", "eq5d", "odi");
            var wave = f.Enum("wave", WaveCodes);
            if (!seen.TryAdd(wave, i))
                throw new FieldException(f.PathOf("wave"), $"'{wave.Code()}' is already responses[{seen[wave]}]");
            var completed = f.Instant("completedAt");
            if (DateOnly.FromDateTime(completed.UtcDateTime) > cutoff)
            {
                throw new FieldException(
                    f.PathOf("completedAt"),
                    $"{completed.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is after cutoffDate {cutoff:yyyy-MM-dd}"
                );
            }
            responses.Add(new WaveResponse(wave, completed, ReadEq5d(f, maxLevel), ReadOdi(f)));
            i++;
        }
        return responses;
    }

    private static Eq5dAnswers? ReadEq5d(JsonFields response, int maxLevel)
    {
        if (response.Optional("eq5d") is not { } element)
            return null;
        var f = new JsonFields(
            element,
            response.PathOf("eq5d"),
            "mobility",
            "selfCare",
            "usualActivities",
            "pain",
            "anxiety",
            "vas"
        );
        int? Level(string name)
        {
            var v = f.OptionalInt(name);
            if (v is { } l && (l < 1 || l > maxLevel))
                throw new FieldException(f.PathOf(name), $"is {l}; expected a level 1–{maxLevel} or null");
            return v;
        }
        var vas = f.OptionalInt("vas");
        if (vas is < 0 or > 100)
            throw new FieldException(f.PathOf("vas"), $"is {vas}; expected 0–100 or null");
        return new Eq5dAnswers(
            Level("mobility"),
            Level("selfCare"),
            Level("usualActivities"),
            Level("pain"),
            Level("anxiety"),
            vas
        );
    }

    private static int?[]? ReadOdi(JsonFields response)
    {
        if (response.Optional("odi") is not { } element)
            return null;
        var path = response.PathOf("odi");
        if (element.ValueKind != JsonValueKind.Array)
            throw new FieldException(
                path,
                $"is {JsonFields.Kind(element)}; expected an array of {Odi.Sections} or null"
            );
        var length = element.GetArrayLength();
        if (length != Odi.Sections)
            throw new FieldException(path, $"has {length} items; expected {Odi.Sections}");
        var sections = new int?[Odi.Sections];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Null)
            {
                var v = JsonFields.AsInt(item, $"{path}[{i}]");
                sections[i] = v is >= 0 and <= 5
                    ? v
                    : throw new FieldException($"{path}[{i}]", $"is {v}; expected 0–5 or null");
            }
            i++;
        }
        return sections;
    }

    /// <summary>The camelCase code of each enum value, as documents spell it.</summary>
    public static string Code<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static Dictionary<string, T> CamelCodes<T>()
        where T : struct, Enum => System.Enum.GetValues<T>().ToDictionary(v => Code(v), StringComparer.Ordinal);
}
