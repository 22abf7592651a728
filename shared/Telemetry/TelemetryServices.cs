using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PvpServerless.Telemetry;

public static class TelemetryServices
{
    /// <summary>
    /// Every ILogger of the host scrubs (<see cref="LogScrubber"/>): the registered logger factory is wrapped, so the
    /// order in which providers were added does not matter. The Azure SDK logs errors only: a 404 for a blob
    /// that may be missing, or a 409 for a table that exists, is the code's normal flow, not a warning.
    /// </summary>
    public static IServiceCollection AddLogScrubbing(this IServiceCollection services)
    {
        services.AddLogging(logging =>
        {
            foreach (var sdk in (string[])["Azure.Core", "Azure.Identity", "Azure.Storage", "Azure.Data"])
            {
                logging.AddFilter(sdk, LogLevel.Error);
            }
        });
        if (services.Any(d => d.ServiceType == typeof(ScrubbingMarker)))
            return services;
        services.AddSingleton<ScrubbingMarker>();
        var index = services.Count - 1;
        while (services[index].ServiceType != typeof(ILoggerFactory))
            index--;
        var original = services[index];
        services[index] = ServiceDescriptor.Singleton<ILoggerFactory>(sp => new ScrubbingLoggerFactory(
            Inner(sp, original)
        ));
        return services;
    }

    private static ILoggerFactory Inner(IServiceProvider sp, ServiceDescriptor original) =>
        original switch
        {
            { ImplementationInstance: ILoggerFactory instance } => instance,
            { ImplementationFactory: { } factory } => (ILoggerFactory)factory(sp),
            { ImplementationType: var type } when type == typeof(LoggerFactory) => new LoggerFactory(
                sp.GetServices<ILoggerProvider>(),
                sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                sp.GetService<IOptions<LoggerFactoryOptions>>(),
                sp.GetService<IExternalScopeProvider>()
            ),
            { ImplementationType: { } type } => (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, type),
            _ => throw new InvalidOperationException("The registered ILoggerFactory cannot be wrapped."),
        };

    /// <summary>Says the factory is wrapped already, so a second call does not wrap it twice.</summary>
    private sealed class ScrubbingMarker;
}
