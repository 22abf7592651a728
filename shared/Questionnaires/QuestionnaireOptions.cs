using Microsoft.Extensions.Options;

namespace PvpServerless.Questionnaires;

/// <summary>The cohort's questionnaire settings, configuration section <c>Questionnaires</c>.</summary>
public sealed class QuestionnaireOptions
{
    public const string Section = "Questionnaires";

    /// <summary>"3L" or "5L"; the seed study used 3L.</summary>
    public string Eq5dVersion { get; init; } = "3L";

    /// <summary>Value set that scores the EQ-5D: DK or UK for 3L, DK or ENG for 5L.</summary>
    public string Eq5dValueSet { get; init; } = "DK";

    /// <summary>A site's licensed wording file (docs/questionnaires.md); null = our plain-language wording.</summary>
    public string? WordingFile { get; init; }
}

/// <summary>Fails start-up on an unknown version or value set, or a wording file that does not load.</summary>
internal sealed class QuestionnaireOptionsValidator : IValidateOptions<QuestionnaireOptions>
{
    public ValidateOptionsResult Validate(string? name, QuestionnaireOptions options)
    {
        var failures = new List<string>();
        if (!ValueSet.TryGet(options.Eq5dVersion, options.Eq5dValueSet, out _))
        {
            failures.Add(
                $"{QuestionnaireOptions.Section}: no EQ-5D-{options.Eq5dVersion} value set "
                    + $"'{options.Eq5dValueSet}'. Known: "
                    + string.Join(", ", ValueSet.Available.Select(a => $"{a.Version}/{a.Name}"))
                    + "."
            );
        }
        try
        {
            // Loading here, not at first use, puts a broken wording file in the start-up failure.
            InstrumentCatalog.Load(options.WordingFile);
        }
        catch (InstrumentDefinitionException e)
        {
            failures.Add($"{QuestionnaireOptions.Section}:{nameof(options.WordingFile)}: {e.Message}");
        }
        catch (IOException e)
        {
            failures.Add($"{QuestionnaireOptions.Section}:{nameof(options.WordingFile)}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            failures.Add($"{QuestionnaireOptions.Section}:{nameof(options.WordingFile)}: {e.Message}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
