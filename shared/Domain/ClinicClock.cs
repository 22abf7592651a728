using Microsoft.Extensions.Options;

namespace PvpServerless.Domain;

/// <summary>The clinic's time zone (configuration section <c>Clinic</c>, setting <c>Clinic:TimeZone</c>).</summary>
public sealed class ClinicTimeOptions
{
    public const string Section = "Clinic";

    /// <summary>
    /// An IANA time zone id. Our own setting rather than WEBSITE_TIME_ZONE, which Linux Consumption and Flex plans do
    /// not support (see docs/email.md).
    /// </summary>
    public string TimeZone { get; set; } = "Europe/Copenhagen";
}

internal sealed class ClinicTimeOptionsValidator : IValidateOptions<ClinicTimeOptions>
{
    public ValidateOptionsResult Validate(string? name, ClinicTimeOptions options) =>
        !string.IsNullOrWhiteSpace(options.TimeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Clinic:TimeZone: '{options.TimeZone}' is not a known IANA time zone id (e.g. Europe/Copenhagen)."
            );
}

/// <summary>
/// Calendar dates as the clinic sees them: waves fall due, windows close and reports cut off on clinic days, while
/// every stored instant is UTC. All reads go through <see cref="TimeProvider"/>.
/// </summary>
public sealed class ClinicClock
{
    private readonly TimeProvider _time;

    public ClinicClock(IOptions<ClinicTimeOptions> options, TimeProvider time)
        : this(TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone), time) { }

    public ClinicClock(TimeZoneInfo zone, TimeProvider time)
    {
        Zone = zone;
        _time = time;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The current instant with the clinic's offset.</summary>
    public DateTimeOffset LocalNow() => TimeZoneInfo.ConvertTime(_time.GetUtcNow(), Zone);

    /// <summary>Today's date at the clinic.</summary>
    public DateOnly Today() => DateOf(_time.GetUtcNow());

    /// <summary>The clinic date on which <paramref name="instant"/> falls.</summary>
    public DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>
    /// The UTC instant at which <paramref name="date"/> begins at the clinic. Where a zone skips midnight (clocks
    /// jump from 00:00 to 01:00) the day begins at the jump; where midnight happens twice, at the first one.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (Zone.IsAmbiguousTime(midnight))
            offset = Zone.GetAmbiguousTimeOffsets(midnight).Max();
        else if (Zone.IsInvalidTime(midnight))
            // The offset in force just before the gap: midnight at that offset is the instant of the jump.
            offset = Zone.GetUtcOffset(midnight.AddHours(-12));
        else
            offset = Zone.GetUtcOffset(midnight);
        return new DateTimeOffset(midnight - offset, TimeSpan.Zero);
    }

    /// <summary>The UTC instant at which <paramref name="date"/> ends: the start of the next clinic day.</summary>
    public DateTimeOffset EndOf(DateOnly date) => StartOf(date.AddDays(1));
}
