using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Hosting;

namespace PvpServerless.Functions;

public static class FunctionServices
{
    /// <summary>Called by the Functions worker and by the local host alike, so both resolve the same services.</summary>
    public static IServiceCollection AddPvpFunctions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPvpCore(configuration);
}
