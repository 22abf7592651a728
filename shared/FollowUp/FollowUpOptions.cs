using System.ComponentModel.DataAnnotations;

namespace PvpServerless.FollowUp;

/// <summary>
/// When patients are asked and reminded (configuration section <c>FollowUp</c>; see docs/follow-up.md). The timer
/// itself reads the setting <c>ScheduleFollowUpsSchedule</c> (UTC NCRONTAB, default every 15 minutes).
/// </summary>
public sealed class FollowUpOptions
{
    public const string Section = "FollowUp";

    /// <summary>The baseline window opens at enrolment and closes this many days after the procedure.</summary>
    [Range(0, 60)]
    public int BaselineClosesDaysAfterProcedure { get; set; } = 14;

    /// <summary>A follow-up window (3 months, 1 year) opens this many days before its due date…</summary>
    [Range(0, 60)]
    public int OpensDaysBefore { get; set; } = 7;

    /// <summary>…and closes this many days after it.</summary>
    [Range(1, 120)]
    public int ClosesDaysAfter { get; set; } = 28;

    /// <summary>
    /// Days after the invitation on which each reminder goes, comma-separated and ascending ("7,14"); empty: no
    /// reminders. A list in one setting, because configuration binding appends array items to a default.
    /// </summary>
    [RegularExpression(
        @"^\s*(\d{1,3}\s*(,\s*\d{1,3}\s*)*)?$",
        ErrorMessage = "FollowUp:Reminders: whole days, e.g. 7,14."
    )]
    public string Reminders { get; set; } = "7,14";

    /// <summary><see cref="Reminders"/> as numbers.</summary>
    public int[] ReminderDays =>
        Reminders
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();

    /// <summary>
    /// How long a sender holds its claim on an e-mail before another may try it: the window of the exactly-once
    /// promise (docs/follow-up.md). Longer than a send with its retries may take.
    /// </summary>
    [Range(typeof(TimeSpan), "00:02:00", "06:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Secret (base64, at least 32 bytes) from which each wave's link token is derived, so reminders can carry the
    /// same link while only the token's hash is stored. In Azure a Key Vault reference.
    /// </summary>
    [Required(ErrorMessage = "FollowUp:TokenKey is required: base64 of at least 32 random bytes.")]
    public string TokenKey { get; set; } = "";

    /// <summary>
    /// The queue the scheduler fills and SendInvitation reads: the app setting <c>InvitationsQueue</c> (the queue
    /// trigger names the same setting, so the two cannot differ).
    /// </summary>
    public string QueueName { get; set; } = "invitations";
}
