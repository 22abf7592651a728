using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Hosting;
using PvpServerless.Telemetry;

namespace PvpServerless.Functions;

public static class FunctionServices
{
    /// <summary>
    /// Called by the Functions worker and by the local host alike, so both resolve the same services and both scrub
    /// their logs (no e-mail address, token or free text reaches a log store: docs/deploy.md, "Telemetry").
    /// </summary>
    public static IServiceCollection AddPvpFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPvpCore(configuration);
        // The follow-up engine runs only in the app: its settings (the token key above all) are checked at start-up
        // here, not in the command-line tools that share the core.
        services.AddOptions<PvpServerless.FollowUp.FollowUpOptions>().ValidateOnStart();
        return services.AddLogScrubbing();
    }
}
