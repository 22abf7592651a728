using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Questionnaires;

namespace PvpServerless.Tests.Questionnaires;

public class ResponseValidatorTests
{
    private static readonly InstrumentCatalog Catalog = InstrumentCatalog.Load();
    private static readonly ResponseValidator ThreeLevel = new(Catalog.Eq5d("3L"), Catalog.Odi);
    private static readonly ResponseValidator FiveLevel = new(Catalog.Eq5d("5L"), Catalog.Odi);
    private static readonly int?[] GoodOdi = [1, 2, 3, 4, 5, 0, 1, null, 2, 3];

    [Fact]
    public void A_valid_response_has_no_errors()
    {
        Assert.Empty(ThreeLevel.Validate(new Eq5dAnswers(1, 2, 3, 2, 1, 0), GoodOdi, Language.Da));
        Assert.Empty(FiveLevel.Validate(new Eq5dAnswers(5, 4, 3, 2, 1, 100), GoodOdi, Language.En));
        // Unanswered items are allowed unless answers are required: they only mean no score.
        Assert.Empty(
            ThreeLevel.Validate(new Eq5dAnswers(null, null, null, null, null, null), new int?[10], Language.En)
        );
        Assert.Empty(ThreeLevel.Validate(null, null, Language.En));
    }

    [Fact]
    public void A_level_out_of_range_names_the_item_in_the_patients_language()
    {
        var answers = new Eq5dAnswers(4, 1, 1, 1, 1, 50);
        var da = Assert.Single(ThreeLevel.Validate(answers, null, Language.Da));
        Assert.Equal("eq5d.mobility", da.Field);
        Assert.Equal("At gå omkring: vælg et af svarene (1–3).", da.Message);
        var en = Assert.Single(ThreeLevel.Validate(answers, null, Language.En));
        Assert.Equal("Walking about: please choose one of the answers (1–3).", en.Message);

        // 4 is a 5L level, 6 is not.
        Assert.Empty(FiveLevel.Validate(answers, null, Language.En));
        Assert.Equal(
            ["eq5d.selfCare", "eq5d.anxiety"],
            FiveLevel.Validate(new Eq5dAnswers(1, 6, 1, 1, 0, 50), null, Language.En).Select(e => e.Field)
        );
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void The_vas_is_0_to_100(int vas)
    {
        var error = Assert.Single(ThreeLevel.Validate(new Eq5dAnswers(1, 1, 1, 1, 1, vas), null, Language.En));
        Assert.Equal("eq5d.vas", error.Field);
        Assert.Contains("whole number from 0 to 100", error.Message);
    }

    [Fact]
    public void Odi_sections_are_0_to_5_or_skipped()
    {
        int?[] odi = [1, 2, 6, 4, 5, 0, -1, null, 2, 3];
        var errors = ThreeLevel.Validate(null, odi, Language.Da);
        Assert.Equal(["odi.section3", "odi.section7"], errors.Select(e => e.Field));
        Assert.Equal("At løfte: vælg et af svarene (0–5).", errors[0].Message);

        var count = Assert.Single(ThreeLevel.Validate(null, [1, 2, 3], Language.En));
        Assert.Equal(("odi", "The ODI has 10 sections, but the response has 3."), (count.Field, count.Message));
    }

    [Fact]
    public void Required_answers_except_the_optional_sex_life_section()
    {
        Assert.Empty(
            ThreeLevel.Validate(new Eq5dAnswers(1, 1, 1, 1, 1, 50), GoodOdi, Language.En, requireAnswers: true)
        );
        int?[] odi = [1, 2, null, 4, 5, 0, 1, null, 2, 3];
        var errors = ThreeLevel.Validate(
            new Eq5dAnswers(1, 1, 1, null, 1, null),
            odi,
            Language.Da,
            requireAnswers: true
        );
        Assert.Equal(["eq5d.pain", "eq5d.vas", "odi.section3"], errors.Select(e => e.Field));
        Assert.Equal("Smerter og ubehag: du mangler at svare.", errors[0].Message);
    }

    [Fact]
    public void A_form_is_read_by_field_key()
    {
        var form = new Dictionary<string, string?>
        {
            ["eq5d.mobility"] = "1",
            ["eq5d.selfCare"] = " 2 ",
            ["eq5d.usualActivities"] = "3",
            ["eq5d.pain"] = "2",
            ["eq5d.anxiety"] = "1",
            ["eq5d.vas"] = "65",
            ["odi.section1"] = "4",
            ["odi.section2"] = "0",
            ["odi.section3"] = "1",
            ["odi.section4"] = "2",
            ["odi.section5"] = "3",
            ["odi.section6"] = "5",
            ["odi.section7"] = "1",
            ["odi.section8"] = "",
            ["odi.section9"] = "2",
            ["odi.section10"] = "3",
            ["__RequestVerificationToken"] = "ignored",
        };
        var parsed = ThreeLevel.Parse(form, Language.En, requireAnswers: true);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(new Eq5dAnswers(1, 2, 3, 2, 1, 65), parsed.Eq5d);
        Assert.Equal([4, 0, 1, 2, 3, 5, 1, null, 2, 3], parsed.Odi);
    }

    [Theory]
    [InlineData("eq5d.vas", "55.5")]
    [InlineData("eq5d.vas", "abc")]
    [InlineData("eq5d.vas", "1e2")]
    [InlineData("eq5d.pain", "4")]
    [InlineData("odi.section10", "6")]
    [InlineData("odi.section10", "two")]
    public void A_bad_form_field_is_an_error_on_that_field_and_no_value(string field, string value)
    {
        var parsed = ThreeLevel.Parse(new Dictionary<string, string?> { [field] = value }, Language.En);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(field, error.Field);
        Assert.False(parsed.IsValid);
        Assert.Equal(new Eq5dAnswers(null, null, null, null, null, null), parsed.Eq5d);
        Assert.All(parsed.Odi, Assert.Null);
    }

    [Fact]
    public void An_empty_form_is_missing_everything_required()
    {
        var parsed = FiveLevel.Parse(new Dictionary<string, string?>(), Language.En, requireAnswers: true);
        Assert.Equal(15, parsed.Errors.Count); // 6 EQ-5D items + 9 ODI sections (section 8 may be skipped)
        Assert.DoesNotContain(parsed.Errors, e => e.Field == "odi.section8");
    }
}
