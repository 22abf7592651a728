using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Questionnaires;

namespace PvpServerless.Hosting;

public static class CoreServices
{
    /// <summary>Everything of the core library that a host (Azure Functions, the local host, the CLI) needs.</summary>
    public static IServiceCollection AddPvpCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddQuestionnaires(configuration);
        return services;
    }
}
