using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Hosting;
using PvpServerless.Questionnaires;

namespace PvpServerless.Tests.Questionnaires;

public sealed class QuestionnaireServicesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvp-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            // Storage is configured (never contacted) so that only the questionnaire options decide start-up here.
            .AddInMemoryCollection([KeyValuePair.Create("AzureWebJobsStorage", (string?)"UseDevelopmentStorage=true")])
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        return new ServiceCollection().AddPvpCore(configuration).BuildServiceProvider();
    }

    // What a host does when it starts: run every ValidateOnStart validation.
    private static void Start(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void Defaults_are_the_seed_study_3L_DK()
    {
        using var services = Build();
        Start(services);
        var options = services.GetRequiredService<IOptions<QuestionnaireOptions>>().Value;
        Assert.Equal(("3L", "DK", null), (options.Eq5dVersion, options.Eq5dValueSet, options.WordingFile));
        var valueSet = services.GetRequiredService<ValueSet>();
        Assert.Equal(("3L", "DK"), (valueSet.Version, valueSet.Name));
        Assert.Equal("eq5d-3l", services.GetRequiredService<ResponseValidator>().Eq5dInstrument.Id);
        Assert.Equal(3, services.GetRequiredService<InstrumentCatalog>().Instruments.Count);
    }

    [Fact]
    public void Settings_choose_the_version_and_value_set()
    {
        using var services = Build(("Questionnaires:Eq5dVersion", "5L"), ("Questionnaires:Eq5dValueSet", "ENG"));
        Start(services);
        Assert.Equal(
            ("5L", "ENG"),
            (services.GetRequiredService<ValueSet>().Version, services.GetRequiredService<ValueSet>().Name)
        );
        Assert.Equal("eq5d-5l", services.GetRequiredService<ResponseValidator>().Eq5dInstrument.Id);
    }

    [Theory]
    [InlineData("3L", "ENG")]
    [InlineData("5L", "UK")]
    [InlineData("4L", "DK")]
    public void An_unknown_value_set_fails_start_up(string version, string name)
    {
        using var services = Build(("Questionnaires:Eq5dVersion", version), ("Questionnaires:Eq5dValueSet", name));
        var e = Assert.Throws<OptionsValidationException>(() => Start(services));
        Assert.Contains($"no EQ-5D-{version} value set '{name}'", e.Message);
    }

    [Fact]
    public void A_broken_wording_file_fails_start_up_with_the_item_named()
    {
        var odi = InstrumentCatalogTestsHelper.Embedded("odi-2.1a");
        odi["items"]![7]!["text"]!["da"] = "";
        var path = Path.Combine(_dir, "licensed.json");
        File.WriteAllText(path, new JsonObject { ["instruments"] = new JsonArray(odi) }.ToJsonString());

        using var services = Build(("Questionnaires:WordingFile", path));
        var e = Assert.Throws<OptionsValidationException>(() => Start(services));
        Assert.Contains("item 'section8'", e.Message);
    }

    [Fact]
    public void A_good_wording_file_is_used()
    {
        var eq5d = InstrumentCatalogTestsHelper.Embedded("eq5d-3l");
        eq5d["wording"] = "licensed";
        var path = Path.Combine(_dir, "licensed.json");
        File.WriteAllText(path, new JsonObject { ["instruments"] = new JsonArray(eq5d) }.ToJsonString());

        using var services = Build(("Questionnaires:WordingFile", path));
        Start(services);
        Assert.Equal(WordingSource.Licensed, services.GetRequiredService<InstrumentCatalog>().Eq5d("3L").Wording);
    }
}

internal static class InstrumentCatalogTestsHelper
{
    public static JsonObject Embedded(string id) => InstrumentCatalogTests.Embedded(id);
}
