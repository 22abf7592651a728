using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Coordination.Actions;

namespace PvpServerless.Coordination;

public static class CoordinationServices
{
    /// <summary>The coordinator's actions (docs/coordination.md) and what they share.</summary>
    public static IServiceCollection AddCoordination(this IServiceCollection services)
    {
        services.AddSingleton<ActionRetry>();
        services.AddSingleton<WaveReview>();
        services.AddSingleton<InvitationResend>();
        services.AddSingleton<WindowChange>();
        services.AddSingleton<OptOutChange>();
        services.AddSingleton<DateCorrection>();
        services.AddSingleton<ResponseCorrection>();
        services.AddSingleton<PendingAbandonment>();
        return services;
    }
}
