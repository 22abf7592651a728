using System.ComponentModel.DataAnnotations;

namespace PvpServerless.Reports.Nightly;

/// <summary>The nightly report (configuration section <c>Reports</c>; its timer reads <c>NightlyReportSchedule</c>).</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>Day folders older than this many days are deleted after a successful run; 0 keeps every day.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; } = 400;

    /// <summary>
    /// A fixed data cut-off for a closed study (yyyy-MM-dd). Unset: each run reports up to and including yesterday,
    /// in the clinic's time zone (Clinic:TimeZone): the last complete day.
    /// </summary>
    public DateOnly? CutoffDate { get; set; }

    [Range(0.0, 1.0)]
    public double Eq5dMcid { get; set; } = 0.12;

    [Range(0.0, 100.0)]
    public double OdiMcid { get; set; } = 10;

    /// <summary>How long a download link of the researcher API stays valid; at most 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:15:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
