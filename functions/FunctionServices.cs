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
    public static IServiceCollection AddPvpFunctions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPvpCore(configuration).AddLogScrubbing();
}
