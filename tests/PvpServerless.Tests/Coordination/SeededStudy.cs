using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Responses;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// A small study lived through the real services on a moved clock: 16 patients enrolled every other day from
/// <see cref="Day0"/>, the scheduler and the sender run every morning for <see cref="Days"/> days, and along the way
/// answers typed in, a rejected send, bounces, deaths, a withdrawal and an opt-out. What happens to whom is written
/// out here (patient number i, enrolled on day 2i), so tests can state some expected counts by hand.
/// </summary>
public static class SeededStudy
{
    public static readonly DateOnly Day0 = new(2025, 1, 6);

    public const int Patients = 16;

    public const int Days = 121;

    public static string Id(int i) => $"NA-{i:D2}";

    public static DateOnly Enrolled(int i) => Day0.AddDays(2 * i);

    /// <summary>Answers the baseline three days after the procedure.</summary>
    public static bool AnswersBaseline(int i) => i % 3 == 0 && i != 0;

    /// <summary>Answers the 3-month wave two days after its due date.</summary>
    public static bool AnswersThreeMonths(int i) => i % 4 == 1 && i != Withdraws && !Dies(i);

    /// <summary>The baseline invitation bounces the day after it went.</summary>
    public static bool Bounces(int i) => i % 5 == 2;

    /// <summary>Dies 20 days after the procedure (before the 3-month due date).</summary>
    public static bool Dies(int i) => i % 7 == 3;

    public const int Withdraws = 5;
    public const int OptsOut = 9;

    /// <summary>
    /// Answers the 3-month wave ten days early (before its window opens, so the scheduler never looks at it after
    /// the opening day), then dies three days before its due date: answered, not eligible.
    /// </summary>
    public const int AnswersEarlyThenDies = 14;

    /// <summary>Runs the study to its last day; the clock then reads that day, 08:00.</summary>
    public static async Task<FollowUpWorld> LiveAsync(AzuriteFixture azurite, CancellationToken ct)
    {
        var world = await FollowUpWorld.StartAsync(azurite, Day0.AddDays(-1), ct);
        // The very first send is refused: patient 0's baseline fails.
        world.SendGrid.Enqueue(new FakeSendGrid.Scripted(400, Body: """{"errors":[{"message":"invalid"}]}"""));
        for (var d = 0; d < Days; d++)
        {
            var day = Day0.AddDays(d);
            world.SetTime(day, 7);
            for (var i = 0; i < Patients; i++)
                await ActAsync(world, i, day, ct);
            await world.DayAsync(day, ct);
        }
        return world;
    }

    private static async Task ActAsync(FollowUpWorld world, int i, DateOnly day, CancellationToken ct)
    {
        var enrolled = Enrolled(i);
        var age = day.DayNumber - enrolled.DayNumber;
        if (age == 0)
            await world.EnrolAsync(enrolled, ct, Id(i));
        if (age == 3 && AnswersBaseline(i))
            await AnswerAsync(world, i, Wave.Baseline, day, ct);
        if (age == 1 && Bounces(i))
            await BounceAsync(world, i, ct);
        if (age == 20 && Dies(i))
            await world.RecordAsync(Id(i), "death", ct);
        if (age == 40 && i == Withdraws)
            await world.RecordAsync(Id(i), "withdrawal", ct);
        if (age == 50 && i == OptsOut)
            await world.OptOutAsync(Id(i), ct);
        var due = Wave.ThreeMonths.DueDate(enrolled);
        if (day == due.AddDays(2) && AnswersThreeMonths(i))
            await AnswerAsync(world, i, Wave.ThreeMonths, day, ct);
        if (i == AnswersEarlyThenDies && day == due.AddDays(-10))
            await AnswerAsync(world, i, Wave.ThreeMonths, day, ct);
        if (i == AnswersEarlyThenDies && day == due.AddDays(-3))
            await world.RecordAsync(Id(i), "death", ct);
    }

    private static async Task AnswerAsync(FollowUpWorld world, int i, Wave wave, DateOnly day, CancellationToken ct)
    {
        var completedAt = FollowUpWorld.At(day, 6).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        var eq5d = new Dictionary<string, int?>
        {
            ["mobility"] = 2,
            ["selfCare"] = 1,
            ["usualActivities"] = 2,
            ["pain"] = 2,
            ["anxiety"] = 1,
            ["vas"] = 60,
        };
        var result = await world
            .Host(0)
            .GetRequiredService<ResponseService>()
            .StoreAsync(Id(i), new ResponseRequest(wave.Code(), completedAt, eq5d, null), new Actor("coordinator"), ct);
        Assert.IsType<ResponseResult.Stored>(result);
    }

    private static async Task BounceAsync(FollowUpWorld world, int i, CancellationToken ct)
    {
        var email = world.Emails.Last(e => e.To == FollowUpWorld.Address(Id(i)) && e.Wave == Wave.Baseline);
        var bounce = new EmailEvent(
            email.EmailId,
            EmailEventType.Bounce,
            "550 5.1.1 mailbox unavailable",
            null,
            null,
            world.Clock.GetUtcNow()
        );
        var outcome = await world
            .Host(0)
            .GetRequiredService<DeliveryEvents>()
            .ApplyAsync(new EmailEventBatch([bounce], 0), ct);
        Assert.Equal(1, Assert.IsType<WebhookOutcome.Applied>(outcome).Report.Undeliverable);
    }
}

/// <summary>One <see cref="SeededStudy"/> shared by the tests of a class: it takes a minute to live.</summary>
public sealed class SeededStudyFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public FollowUpWorld World { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        World = await SeededStudy.LiveAsync(azurite, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await World.DisposeAsync();
}
