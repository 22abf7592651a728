using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PvpServerless.Questionnaires;

public static class QuestionnaireServices
{
    /// <summary>
    /// <see cref="QuestionnaireOptions"/> (validated at start-up), the <see cref="InstrumentCatalog"/>, the cohort's
    /// <see cref="ValueSet"/> and the <see cref="ResponseValidator"/> for the cohort's EQ-5D version.
    /// </summary>
    public static IServiceCollection AddQuestionnaires(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<QuestionnaireOptions>()
            .Bind(configuration.GetSection(QuestionnaireOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<QuestionnaireOptions>, QuestionnaireOptionsValidator>()
        );
        services.TryAddSingleton(sp => InstrumentCatalog.Load(Options(sp).WordingFile));
        services.TryAddSingleton(sp => ValueSet.Get(Options(sp).Eq5dVersion, Options(sp).Eq5dValueSet));
        services.TryAddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<InstrumentCatalog>();
            return new ResponseValidator(catalog.Eq5d(Options(sp).Eq5dVersion), catalog.Odi);
        });
        return services;
    }

    private static QuestionnaireOptions Options(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<QuestionnaireOptions>>().Value;
}
