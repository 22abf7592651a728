using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;

namespace PvpServerless.LocalHost;

/// <summary>
/// A timer trigger's schedule: six-field NCRONTAB, in WEBSITE_TIME_ZONE when set (as on Azure), else UTC.
/// </summary>
public sealed record TimerSchedule(CrontabSchedule Cron, TimeZoneInfo Zone, string Expression)
{
    public static TimerSchedule Parse(string schedule, IConfiguration configuration)
    {
        var expression = AppSettings.Resolve(schedule, configuration);
        var cron =
            CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new InvalidOperationException(
                $"'{expression}' is not a six-field NCRONTAB expression (second minute hour day month weekday)."
            );
        var zoneId = configuration["WEBSITE_TIME_ZONE"];
        var zone = string.IsNullOrEmpty(zoneId) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        return new TimerSchedule(cron, zone, expression);
    }

    public DateTimeOffset Next(DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, Zone).DateTime;
        var next = Cron.GetNextOccurrence(local);
        // A local time skipped by a DST change is taken as the same wall time an hour on.
        while (Zone.IsInvalidTime(next))
            next = next.AddHours(1);
        return new DateTimeOffset(next, Zone.GetUtcOffset(next));
    }
}

/// <summary>Runs every timer-triggered function on its schedule.</summary>
public sealed class TimerRunner(
    IReadOnlyList<FunctionDescriptor> functions,
    FunctionInvoker invoker,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<TimerRunner> log
) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Trigger is Trigger.Timer).Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var trigger = (Trigger.Timer)function.Trigger;
        var schedule = TimerSchedule.Parse(trigger.Schedule, configuration);
        var last = clock.GetUtcNow();
        if (trigger.RunOnStartup)
            await InvokeAsync(function, last, isPastDue: false, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.Next(last);
            log.LogInformation(
                "Timer {Function} ({Schedule}) next runs at {Next:O}",
                function.Name,
                schedule.Expression,
                next
            );
            var wait = next - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, stoppingToken);
            var now = clock.GetUtcNow();
            await InvokeAsync(function, next, isPastDue: now - next > TimeSpan.FromMinutes(1), stoppingToken);
            last = next;
        }
    }

    private async Task InvokeAsync(
        FunctionDescriptor function,
        DateTimeOffset scheduled,
        bool isPastDue,
        CancellationToken stoppingToken
    )
    {
        try
        {
            var info = new TimerInfo
            {
                IsPastDue = isPastDue,
                ScheduleStatus = new ScheduleStatus { Last = scheduled.UtcDateTime, Next = scheduled.UtcDateTime },
            };
            await invoker.InvokeAsync(function, new TriggerInput(Timer: info), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A failed run is logged and the schedule goes on, as on Azure.
            log.LogError(ex, "Timer function {Function} failed", function.Name);
        }
    }
}
