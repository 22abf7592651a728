using System.ComponentModel.DataAnnotations;

namespace PvpServerless.Patients;

/// <summary>Rules of enrolment that a site may tune (configuration section <c>Enrolment</c>).</summary>
public sealed class EnrolmentOptions
{
    public const string Section = "Enrolment";

    /// <summary>How far ahead a planned procedure may be dated: patients are enrolled before their vertebroplasty.</summary>
    [Range(0, 365)]
    public int MaxDaysAhead { get; set; } = 90;

    /// <summary>The earliest procedure date accepted (the study's start; older cases are imported from files).</summary>
    public DateOnly EarliestProcedureDate { get; set; } = new(2010, 1, 1);

    /// <summary>
    /// How old an unfinished (pending) enrolment must be before another request for its study id, or the
    /// scheduler's sweep, rolls it back. Longer than any request takes; short enough that a coordinator who
    /// corrects a failed enrolment is not kept waiting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(0, 130)]
    public int MinimumAge { get; set; } = 18;

    [Range(0, 130)]
    public int MaximumAge { get; set; } = 110;
}
