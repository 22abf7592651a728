using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PvpServerless.Dashboard;

public static class DashboardServices
{
    /// <summary>The coordinator dashboard's pages, sign-in and actions (docs/coordination.md, "Dashboard").</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section));
        services.AddSingleton<SignInTickets>();
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardPages>();
        services.AddSingleton<DashboardActions>();
        services.AddSingleton<SignInPages>();
        return services;
    }
}
