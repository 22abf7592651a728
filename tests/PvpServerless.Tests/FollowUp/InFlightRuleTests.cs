using PvpServerless.Domain;
using PvpServerless.FollowUp;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// When the scheduler queues an e-mail again: only when its message seems lost, i.e. queued longer ago than the claim
/// timeout, or claimed by a sender whose claim ran out. A claim time left on the row by an earlier e-mail of the wave
/// (Table Storage keeps a column that a merge sets to null) says nothing about the e-mail now on the queue.
/// </summary>
public sealed class InFlightRuleTests
{
    private static readonly DateOnly Today = new(2025, 2, 10);
    private static readonly DateTimeOffset Now = new(2025, 2, 10, 7, 5, 0, TimeSpan.Zero);
    private static readonly FollowUpOptions Options = new() { ClaimTimeout = TimeSpan.FromMinutes(15) };
    private static readonly PatientStanding Standing = new(true, null, null, null, true);

    private static WaveState Reminded(EmailStatus status, DateTimeOffset queuedAt, DateTimeOffset? claimedUntil) =>
        new(
            Wave.Baseline,
            new DateOnly(2025, 2, 3),
            new DateOnly(2025, 2, 3),
            new DateOnly(2025, 2, 17),
            WaveStatus.Invited,
            0,
            null,
            "emailid-reminder1",
            "reminder1",
            status,
            queuedAt,
            claimedUntil,
            new DateTimeOffset(2025, 2, 3, 7, 1, 0, TimeSpan.Zero),
            "fake-1",
            null,
            "nonce",
            new DateOnly(2025, 2, 3)
        );

    [Fact]
    public void A_reminder_queued_five_minutes_ago_waits_even_with_last_weeks_claim_time_on_the_row()
    {
        var lastWeeksClaim = new DateTimeOffset(2025, 2, 3, 7, 15, 0, TimeSpan.Zero);
        var wave = Reminded(EmailStatus.Queued, Now.AddMinutes(-5), lastWeeksClaim);

        Assert.Equal(
            new FollowUpDecision.Wait(Today.AddDays(1)),
            FollowUpRules.Decide(wave, Standing, Today, Now, Options)
        );
    }

    [Fact]
    public void A_reminder_queued_longer_ago_than_the_claim_timeout_is_queued_again()
    {
        var wave = Reminded(EmailStatus.Queued, Now.AddMinutes(-16), null);

        Assert.IsType<FollowUpDecision.Requeue>(FollowUpRules.Decide(wave, Standing, Today, Now, Options));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(-1, true)]
    public void A_claimed_reminder_is_queued_again_only_when_its_claim_ran_out(int claimEndsInMinutes, bool requeued)
    {
        var wave = Reminded(EmailStatus.Sending, Now.AddMinutes(-30), Now.AddMinutes(claimEndsInMinutes));

        var decision = FollowUpRules.Decide(wave, Standing, Today, Now, Options);

        Assert.Equal(requeued, decision is FollowUpDecision.Requeue);
    }
}
