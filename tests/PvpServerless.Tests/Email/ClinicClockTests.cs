using Microsoft.Extensions.Time.Testing;
using PvpServerless.Domain;

namespace PvpServerless.Tests.Email;

/// <summary>
/// Clinic dates in Copenhagen across local midnight and both DST changes of 2025 (30 March 02:00 CET → 03:00 CEST,
/// 26 October 03:00 CEST → 02:00 CET). Expected instants are from <c>zdump -v -c 2025,2026 Europe/Copenhagen</c>.
/// </summary>
public sealed class ClinicClockTests
{
    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0, int s = 0) =>
        new(y, mo, d, h, mi, s, TimeSpan.Zero);

    private static ClinicClock Clock(DateTimeOffset now, string zone = "Europe/Copenhagen") =>
        new(TimeZoneInfo.FindSystemTimeZoneById(zone), new FakeTimeProvider(now));

    [Theory]
    // Summer (UTC+2): the clinic's day turns at 22:00 UTC.
    [InlineData("2025-06-30T21:59:59Z", "2025-06-30")]
    [InlineData("2025-06-30T22:00:00Z", "2025-07-01")]
    // Winter (UTC+1): at 23:00 UTC.
    [InlineData("2025-01-15T22:59:59Z", "2025-01-15")]
    [InlineData("2025-01-15T23:00:00Z", "2025-01-16")]
    // New Year's Eve, when the UTC date is still the old year.
    [InlineData("2025-12-31T23:30:00Z", "2026-01-01")]
    // Around the spring change (01:00 UTC = 02:00 CET becomes 03:00 CEST).
    [InlineData("2025-03-29T22:59:59Z", "2025-03-29")]
    [InlineData("2025-03-29T23:00:00Z", "2025-03-30")]
    [InlineData("2025-03-30T00:59:59Z", "2025-03-30")]
    [InlineData("2025-03-30T01:00:00Z", "2025-03-30")]
    [InlineData("2025-03-30T21:59:59Z", "2025-03-30")]
    [InlineData("2025-03-30T22:00:00Z", "2025-03-31")]
    // Around the autumn change (01:00 UTC = 03:00 CEST becomes 02:00 CET; 02:xx happens twice).
    [InlineData("2025-10-25T21:59:59Z", "2025-10-25")]
    [InlineData("2025-10-25T22:00:00Z", "2025-10-26")]
    [InlineData("2025-10-26T00:30:00Z", "2025-10-26")]
    [InlineData("2025-10-26T01:30:00Z", "2025-10-26")]
    [InlineData("2025-10-26T22:59:59Z", "2025-10-26")]
    [InlineData("2025-10-26T23:00:00Z", "2025-10-27")]
    public void Today_and_DateOf_follow_the_clinics_midnight(string utc, string clinicDate)
    {
        var instant = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
        var clock = Clock(instant);

        Assert.Equal(DateOnly.Parse(clinicDate, System.Globalization.CultureInfo.InvariantCulture), clock.Today());
        Assert.Equal(clock.Today(), clock.DateOf(instant));
    }

    [Fact]
    public void Today_moves_when_the_clock_passes_local_midnight()
    {
        var time = new FakeTimeProvider(Utc(2025, 3, 29, 22, 59, 59));
        var clock = new ClinicClock(TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen"), time);

        Assert.Equal(new DateOnly(2025, 3, 29), clock.Today());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new DateOnly(2025, 3, 30), clock.Today());
        Assert.Equal(TimeSpan.FromHours(1), clock.LocalNow().Offset);
        time.Advance(TimeSpan.FromHours(2)); // past 02:00 CET, which is 03:00 CEST
        Assert.Equal(TimeSpan.FromHours(2), clock.LocalNow().Offset);
        Assert.Equal(3, clock.LocalNow().Hour);
    }

    [Theory]
    [InlineData(2025, 1, 15, "2025-01-14T23:00:00Z", 24)]
    [InlineData(2025, 6, 30, "2025-06-29T22:00:00Z", 24)]
    [InlineData(2025, 3, 30, "2025-03-29T23:00:00Z", 23)] // the spring day is 23 hours
    [InlineData(2025, 3, 31, "2025-03-30T22:00:00Z", 24)]
    [InlineData(2025, 10, 26, "2025-10-25T22:00:00Z", 25)] // the autumn day is 25 hours
    [InlineData(2025, 10, 27, "2025-10-26T23:00:00Z", 24)]
    public void StartOf_is_the_utc_instant_of_local_midnight(int y, int m, int d, string utc, int hours)
    {
        var clock = Clock(Utc(2025, 1, 1, 12));
        var date = new DateOnly(y, m, d);

        var start = clock.StartOf(date);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
        Assert.Equal(TimeSpan.FromHours(hours), clock.EndOf(date) - start);
        Assert.Equal(date, clock.DateOf(start));
        Assert.Equal(date.AddDays(-1), clock.DateOf(start.AddTicks(-1)));
    }

    [Fact]
    public void Where_midnight_does_not_exist_the_day_starts_at_the_jump()
    {
        // Santiago, 8 September 2024: 23:59:59 (-04) is followed by 01:00 (-03) at 04:00 UTC (zdump).
        var clock = Clock(Utc(2024, 9, 1, 12), "America/Santiago");

        Assert.Equal(Utc(2024, 9, 8, 4), clock.StartOf(new DateOnly(2024, 9, 8)));
        Assert.Equal(new DateOnly(2024, 9, 7), clock.DateOf(Utc(2024, 9, 8, 3, 59, 59)));
    }

    [Fact]
    public void Where_midnight_happens_twice_the_day_starts_at_the_first()
    {
        // Havana, 3 November 2024: 00:59:59 CDT (04:59:59 UTC) is followed by 00:00 CST (zdump).
        var clock = Clock(Utc(2024, 11, 1, 12), "America/Havana");

        Assert.Equal(Utc(2024, 11, 3, 4), clock.StartOf(new DateOnly(2024, 11, 3)));
        Assert.Equal(new DateOnly(2024, 11, 2), clock.DateOf(Utc(2024, 11, 3, 3, 59, 59)));
    }
}
