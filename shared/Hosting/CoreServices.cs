using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PvpServerless.Cohort;
using PvpServerless.Contacts;
using PvpServerless.Coordination;
using PvpServerless.Dashboard;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Questionnaires;
using PvpServerless.Reports.Nightly;
using PvpServerless.Responses;
using PvpServerless.Storage;
using PvpServerless.Survey;

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
        services.AddSingleton<Contention>();
        services.AddSingleton<PendingEnrolments>();
        services.AddSingleton<EnrolmentService>();
        services.AddSingleton<PatientEventService>();
        services.AddSingleton<ResponseService>();
        services.AddSingleton<CohortBuilder>();

        services
            .AddOptions<FollowUpOptions>()
            .Bind(configuration.GetSection(FollowUpOptions.Section))
            .PostConfigure(o => o.QueueName = configuration["InvitationsQueue"] is { Length: > 0 } q ? q : o.QueueName)
            .ValidateDataAnnotations()
            .Validate(o => IsKey(o.TokenKey), "FollowUp:TokenKey must be base64 of at least 32 bytes.")
            .Validate(
                o => o.ReminderDays.All(d => d > 0) && o.ReminderDays.SequenceEqual(o.ReminderDays.Order()),
                "FollowUp:Reminders must be ascending whole days after the invitation, e.g. 7,14."
            );
        services.AddSingleton<StatusCopy>();
        services.AddSingleton<StatusIndex>();
        services.AddSingleton<StatusIndexRepair>();
        services.AddSingleton<StatusIndexCheck>();
        services.AddSingleton<StatusIndexBatch>();
        services.AddSingleton<StatusIndexBacklog>();
        services.AddHostedService<StatusIndexDrain>();
        services.AddSingleton<FollowUpStore>();
        services.AddSingleton<FollowUpScheduler>();
        services.AddSingleton<InvitationSender>();
        services.AddSingleton<OptOutService>();
        services.AddSingleton<OptOutPages>();
        services.AddSingleton<DeliveryEvents>();
        services.AddSingleton<SurveyLinkReader>();
        services.AddSingleton<SurveyFormCheck>();
        services.AddSingleton<SurveyResponseWriter>();
        services.AddSingleton<SurveyService>();
        services.AddSingleton<SurveyPages>();
        services.AddCoordination();
        services.AddSingleton<Coordination.StatusCounts>();
        services.AddSingleton<Coordination.FollowUpSummaryService>();
        services.AddSingleton<Coordination.FollowUpListService>();
        services.AddSingleton<Coordination.PatientTimelineService>();
        services.AddDashboard(configuration);

        services
            .AddOptions<ReportOptions>()
            .Bind(configuration.GetSection(ReportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<NightlyReportService>();
        services.AddQuestionnaires(configuration);
        services.AddPvpEmail(configuration);
        return services;
    }

    private static bool IsKey(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var length) && length >= 32;
    }

    /// <summary>Creates tables and containers once at start-up, so no request path has to.</summary>
    private sealed class StorageInitializer(PvpStorage storage, Contention contention) : IHostedService
    {
        // Storage may still be starting next to the host (Azurite under ./pvp up): the SDK's retries are short now
        // (Storage:Retry), so start-up waits for it itself, as long as a start may reasonably take.
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var waited = TimeSpan.Zero;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await storage.EnsureCreatedAsync(cancellationToken);
                    return;
                }
                catch (Exception ex) when (Contention.IsUnavailable(ex) && waited < Patience)
                {
                    waited += await contention.WaitForStorageAsync(attempt, cancellationToken);
                }
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
