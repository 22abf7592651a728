using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PvpServerless.Cohort;
using PvpServerless.Contacts;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Reports.Nightly;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Hosting;

public static class CoreServices
{
    /// <summary>Everything of the core library that a host (Azure Functions, the local host, the CLI) needs.</summary>
    public static IServiceCollection AddPvpCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);

        services
            .AddOptions<EnrolmentOptions>()
            .Bind(configuration.GetSection(EnrolmentOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddPvpStorage(configuration);
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<ScheduleIndex>();
        services.AddSingleton<ContactStore>();
        services.AddSingleton<PatientQueries>();
        services.AddSingleton<EnrolmentValidator>();
        services.AddSingleton<EnrolmentService>();
        services.AddSingleton<PatientEventService>();
        services.AddSingleton<ResponseService>();
        services.AddSingleton<CohortBuilder>();

        services
            .AddOptions<ReportOptions>()
            .Bind(configuration.GetSection(ReportOptions.Section))
            .PostConfigure(o =>
            {
                // Unset: the Functions setting WEBSITE_TIME_ZONE (the clinic's zone on Azure), else Copenhagen.
                if (string.IsNullOrWhiteSpace(o.TimeZone))
                    o.TimeZone = configuration["WEBSITE_TIME_ZONE"] is { Length: > 0 } zone
                        ? zone
                        : "Europe/Copenhagen";
            })
            .ValidateDataAnnotations()
            .Validate(
                o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _),
                "Reports:TimeZone is not a known time zone."
            )
            .ValidateOnStart();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<NightlyReportService>();
        services.AddQuestionnaires(configuration);
        return services;
    }

    /// <summary>Creates tables and containers once at start-up, so no request path has to.</summary>
    private sealed class StorageInitializer(PvpStorage storage) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
