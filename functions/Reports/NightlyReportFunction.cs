using Microsoft.Azure.Functions.Worker;
using PvpServerless.Reports.Nightly;

namespace PvpServerless.Functions.Reports;

/// <summary>
/// The nightly report: schedule from the setting NightlyReportSchedule (default 02:00, WEBSITE_TIME_ZONE).
/// </summary>
public sealed class NightlyReportFunction(NightlyReportService nightly)
{
    [Function("NightlyReport")]
    public Task Run([TimerTrigger("%NightlyReportSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        nightly.RunAsync(cancellationToken);
}
