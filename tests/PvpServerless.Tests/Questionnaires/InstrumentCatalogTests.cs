using System.Text.Json.Nodes;
using PvpServerless.Domain;
using PvpServerless.Questionnaires;

namespace PvpServerless.Tests.Questionnaires;

public sealed class InstrumentCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvp-wording-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Both_languages_load_for_every_item_and_answer()
    {
        var catalog = InstrumentCatalog.Load();
        Assert.Equal(["eq5d-3l", "eq5d-5l", "odi-2.1a"], catalog.Instruments.Select(i => i.Id));
        foreach (var instrument in catalog.Instruments)
        {
            Assert.Equal(WordingSource.PlainLanguage, instrument.Wording);
            var texts = new List<(string Where, LocalizedText Text)>
            {
                ($"{instrument.Id} title", instrument.Title),
                ($"{instrument.Id} intro", instrument.Introduction),
            };
            foreach (var item in instrument.Items)
            {
                texts.Add(($"{instrument.FieldKey(item)} label", item.Label));
                texts.Add(($"{instrument.FieldKey(item)} text", item.Text));
                texts.AddRange(item.Answers.Select(a => ($"{instrument.FieldKey(item)} answer {a.Value}", a.Text)));
                if (item.Scale is { } scale)
                    texts.AddRange([($"{item.Key} min", scale.MinLabel), ($"{item.Key} max", scale.MaxLabel)]);
            }
            foreach (var (where, text) in texts)
            {
                foreach (var language in Enum.GetValues<Language>())
                    Assert.False(string.IsNullOrWhiteSpace(text[language]), $"{where} {language}");
                // A translation, not a copy of the other language.
                Assert.True(text.Da != text.En, $"{where}: Danish and English are the same text");
            }
        }
    }

    [Fact]
    public void Definitions_have_the_structure_the_scoring_needs()
    {
        var catalog = InstrumentCatalog.Load();
        string[] eq5dKeys =
        [
            "eq5d.mobility",
            "eq5d.selfCare",
            "eq5d.usualActivities",
            "eq5d.pain",
            "eq5d.anxiety",
            "eq5d.vas",
        ];
        foreach (var (version, levels) in new[] { ("3L", 3), ("5L", 5) })
        {
            var eq5d = catalog.Eq5d(version);
            Assert.Equal(eq5dKeys, eq5d.Items.Select(eq5d.FieldKey));
            Assert.All(
                eq5d.Items.Take(5),
                i => Assert.Equal(Enumerable.Range(1, levels), i.Answers.Select(a => a.Value))
            );
            Assert.Equal((0, 100, true), (eq5d.Items[5].Min, eq5d.Items[5].Max, eq5d.Items[5].IsScale));
        }
        var odi = catalog.Odi;
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"odi.section{n}"), odi.Items.Select(odi.FieldKey));
        Assert.All(odi.Items, i => Assert.Equal(Enumerable.Range(0, 6), i.Answers.Select(a => a.Value)));
        Assert.Equal(["section8"], odi.Items.Where(i => i.Optional).Select(i => i.Key));
    }

    [Fact]
    public void A_missing_translation_in_a_wording_file_fails_with_the_item_named()
    {
        var odi = Embedded("odi-2.1a");
        odi["items"]![3]!["answers"]![2]!["text"]!.AsObject().Remove("en");
        var path = WordingFile(odi);

        var e = Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(path));
        Assert.Equal("odi-2.1a", e.InstrumentId);
        Assert.Equal("section4", e.ItemKey);
        Assert.Contains("item 'section4'", e.Message);
        Assert.Contains("English (en)", e.Message);
        Assert.Contains("answer 2", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void An_empty_danish_label_fails_too()
    {
        var eq5d = Embedded("eq5d-3l");
        eq5d["items"]![1]!["label"]!["da"] = "  ";
        var e = Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(WordingFile(eq5d)));
        Assert.Equal(("eq5d-3l", "selfCare"), (e.InstrumentId, e.ItemKey));
        Assert.Contains("Danish (da)", e.Message);
    }

    [Fact]
    public void Levels_must_be_contiguous()
    {
        var eq5d = Embedded("eq5d-5l");
        eq5d["items"]![2]!["answers"]![3]!["value"] = 5;
        var e = Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(WordingFile(eq5d)));
        Assert.Equal("usualActivities", e.ItemKey);
        Assert.Contains("contiguous", e.Message);
    }

    [Fact]
    public void Items_must_keep_their_keys_and_ranges()
    {
        var swapped = Embedded("eq5d-3l");
        var items = swapped["items"]!.AsArray();
        var first = items[0]!.DeepClone();
        items[0] = items[1]!.DeepClone();
        items[1] = first;
        Assert.Contains(
            "must have the key 'mobility'",
            Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(WordingFile(swapped))).Message
        );

        var vas = Embedded("eq5d-3l");
        vas["items"]![5]!["scale"]!["max"] = 10;
        Assert.Equal(
            "vas",
            Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(WordingFile(vas))).ItemKey
        );

        var shortOdi = Embedded("odi-2.1a");
        shortOdi["items"]!.AsArray().RemoveAt(9);
        Assert.Contains(
            "has 9 items",
            Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(WordingFile(shortOdi))).Message
        );
    }

    [Fact]
    public void A_licensed_wording_file_replaces_only_the_instruments_it_holds()
    {
        var eq5d = Embedded("eq5d-3l");
        eq5d.Remove("wording");
        eq5d["items"]![0]!["answers"]![2]!["text"]!["en"] = "Site wording, level 3.";
        var catalog = InstrumentCatalog.Load(WordingFile(eq5d));

        Assert.Equal(WordingSource.Licensed, catalog.Eq5d("3L").Wording);
        Assert.Equal("Site wording, level 3.", catalog.Eq5d("3L").Item("mobility").Answers[2].Text[Language.En]);
        Assert.Equal(WordingSource.PlainLanguage, catalog.Eq5d("5L").Wording);
        Assert.Equal(WordingSource.PlainLanguage, catalog.Odi.Wording);
    }

    [Fact]
    public void A_wording_file_that_is_not_there_or_not_json_fails()
    {
        Assert.Contains(
            "does not exist",
            Assert
                .Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(Path.Combine(_dir, "none.json")))
                .Message
        );
        var path = Path.Combine(_dir, "broken.json");
        File.WriteAllText(path, "{ \"instruments\": [ { \"id\": \"eq5d-3l\", \"colour\": 1 } ] }");
        Assert.Contains(
            "not a valid definition",
            Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(path)).Message
        );
    }

    internal static JsonObject Embedded(string id)
    {
        using var stream = typeof(InstrumentCatalog).Assembly.GetManifestResourceStream(
            $"PvpServerless.Questionnaires/Data/{id}.json"
        )!;
        return JsonNode.Parse(stream)!.AsObject();
    }

    internal string WordingFile(params JsonObject[] instruments)
    {
        var path = Path.Combine(_dir, $"wording-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, new JsonObject { ["instruments"] = new JsonArray([.. instruments]) }.ToJsonString());
        return path;
    }
}
