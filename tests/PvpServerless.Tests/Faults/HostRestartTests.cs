using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// The local host killed while its queue runner sends invitations (one e-mail taken by SendGrid, its answer not yet
/// back) and started again over the same Azurite: the messages it held come back when their visibility runs out, and
/// every invitation goes. The e-mail in flight at the kill is the one the design cannot save (docs/follow-up.md,
/// "Exactly once"): it may go again, but only after the claim timeout.
/// </summary>
public sealed class HostRestartTests
{
    private const int Patients = 16;

    /// <summary>FollowUp:ClaimTimeout's least allowed value; the host's clock jumps over it.</summary>
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static bool Enabled => FaultSuite.All;

    [Fact(Skip = FaultSuite.SlowSkip, SkipUnless = nameof(Enabled))]
    public async Task A_host_killed_while_sending_loses_no_invitation_and_repeats_none_within_the_claim_timeout()
    {
        var started = Stopwatch.GetTimestamp();
        await using var azurite = await FaultAzurite.StartAsync(Ct);
        var clock = new JumpingClock();
        await using var sendGrid = await FakeSendGrid.StartAsync(clock);
        await using var host = new FaultHost(
            azurite,
            "kill",
            new Dictionary<string, string?>
            {
                ["LocalHost:RunQueues"] = "true",
                ["LocalHost:VisibilityTimeout"] = "00:00:05",
                ["FollowUp:ClaimTimeout"] = ClaimTimeout.ToString("c", CultureInfo.InvariantCulture),
                ["Email:Transport"] = "SendGrid",
                ["Email:SendGridApiKey"] = FakeSendGrid.ApiKey,
                ["Email:SendGridHost"] = sendGrid.Url,
                ["Email:FromAddress"] = "noreply@example.dk",
                ["Clinic:PublicBaseUrl"] = "https://pvp.example.dk",
                ["Clinic:Name"] = "Klinik Nord",
                ["Clinic:Phone"] = "+45 70 00 00 00",
            },
            clock
        );
        await host.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < Patients; i++)
        {
            var id = Enrolments.NewStudyId();
            var enrolled = await host.Client.PostAsJsonAsync("/api/patients", FaultHost.Enrolment(id), Ct);
            Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
            ids.Add(id);
        }

        // SendGrid takes the 5th e-mail, and the host dies before the answer is back.
        var killed = new TaskCompletionSource<TimeSpan>();
        sendGrid.BeforeAccepting = async _ =>
        {
            if (sendGrid.Accepted.Count != 5 || killed.Task.IsCompleted)
                return;
            var watch = Stopwatch.StartNew();
            await host.KillAsync();
            killed.SetResult(watch.Elapsed);
        };
        Assert.Equal(200, await host.RunAsync("ScheduleFollowUps", "", Ct));
        var killTook = await killed.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        var acceptedAtKill = sendGrid.Accepted.Count;
        sendGrid.BeforeAccepting = null;

        var down = Stopwatch.StartNew();
        await host.StartAsync();
        var restartTook = down.Elapsed;
        // The messages the dead host held come back within their visibility; the e-mail it was sending waits for
        // its claim to run out, then the scheduler queues it again.
        await WaitForAsync(() => sendGrid.Accepted.Count >= Patients - 1, TimeSpan.FromMinutes(2));
        clock.Jump(ClaimTimeout + TimeSpan.FromSeconds(5));
        Assert.Equal(200, await host.RunAsync("ScheduleFollowUps", "", Ct));
        await WaitForAsync(() => sendGrid.Accepted.Count >= Patients, TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(6), Ct); // anything still to come would come now

        var accepted = FaultChecks.Accepted(sendGrid);
        Assert.All(ids, id => Assert.Contains(accepted, e => e.To == FollowUpWorld.Address(id)));
        var repeats = accepted.GroupBy(e => e.EmailId).Where(g => g.Count() > 1).ToList();
        Assert.True(repeats.Count <= 1, $"{repeats.Count} e-mails went twice.");
        Assert.All(
            repeats,
            g => Assert.True(g.Last().At - g.First().At >= ClaimTimeout, "Twice within the claim timeout.")
        );
        var index = await FaultChecks.StatusIndexAsync(host.Services, Ct);
        FaultSuite.Report(
            "Local host killed while sending",
            $"{Patients} patients, killed as SendGrid took the 5th e-mail (the kill took "
                + $"{killTook.TotalSeconds:0.00} s, {acceptedAtKill} accepted by then), started again in "
                + $"{restartTook.TotalSeconds:0.0} s; accepted {accepted.Count} for {Patients} invitations: "
                + $"{repeats.Count} e-mail again after "
                + string.Join(", ", repeats.Select(g => $"{(g.Last().At - g.First().At).TotalSeconds:0} s"))
                + $" (claim timeout {ClaimTimeout.TotalSeconds:0} s), none lost; {FaultChecks.Show(index)}; "
                + $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"
        );
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            if (watch.Elapsed > limit)
                throw new TimeoutException($"Not done within {limit}.");
            await Task.Delay(200, Ct);
        }
    }
}
