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

    [Range(0, 130)]
    public int MinimumAge { get; set; } = 18;

    [Range(0, 130)]
    public int MaximumAge { get; set; } = 110;
}
