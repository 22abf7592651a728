using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;

namespace PvpServerless.Email;

public static class EmailServices
{
    /// <summary>
    /// The clinic clock, survey links and tokens, the invitation composer, the transport chosen by
    /// <c>Email:Transport</c>, the retrying sender, the outbox reader and the webhook verifier; every setting of the
    /// <c>Clinic</c> and <c>Email</c> sections validated at start-up (docs/email.md).
    /// </summary>
    public static IServiceCollection AddPvpEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<ClinicTimeOptions>()
            .Bind(configuration.GetSection(ClinicTimeOptions.Section))
            .ValidateOnStart();
        services
            .AddOptions<ClinicContactOptions>()
            .Bind(configuration.GetSection(ClinicContactOptions.Section))
            .ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ClinicTimeOptions>, ClinicTimeOptionsValidator>()
        );
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ClinicContactOptions>, ClinicContactOptionsValidator>()
        );
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClinicClock>();
        services.TryAddSingleton<SurveyLinks>();
        services.TryAddSingleton<TokenStore>();
        services.TryAddSingleton<InvitationComposer>();
        services.TryAddSingleton<OutboxTransport>();
        services.TryAddSingleton<OutboxReader>();
        services.TryAddSingleton<SendGridTransport>();
        services.TryAddSingleton<IEmailTransport>(sp =>
            sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSendGrid
                ? sp.GetRequiredService<SendGridTransport>()
                : sp.GetRequiredService<OutboxTransport>()
        );
        services.TryAddSingleton<RetryingEmailSender>();
        services.TryAddSingleton<SendGridWebhookVerifier>();
        return services;
    }
}
