using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// The invariants every fault scenario ends with (docs/evidence.md, "Faults"): no e-mail accepted twice, none lost,
/// the coordinator view's status index equal to the waves behind it.
/// </summary>
public static class FaultChecks
{
    /// <summary>The e-mails SendGrid accepted (a 2xx), read as the patient would.</summary>
    public static IReadOnlyList<SentEmail> Accepted(FakeSendGrid sendGrid) =>
        [.. sendGrid.Accepted.Select(SentEmail.From)];

    /// <summary>
    /// Each e-mail (one id: one wave, one kind) accepted at most once, and no patient given the same wave's
    /// invitation, or the same reminder day's reminder, twice.
    /// </summary>
    public static void NoneTwice(FakeSendGrid sendGrid)
    {
        var accepted = Accepted(sendGrid);
        Assert.Empty(accepted.GroupBy(e => e.EmailId).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(
            accepted
                .GroupBy(e => (e.Token, e.IsReminder, e.IsReminder ? e.ClinicDay : default))
                .Where(g => g.Count() > 1)
                .Select(g => g.Key)
        );
    }

    /// <summary>
    /// Every patient got exactly <paramref name="expected"/> (clinic day, wave, kind), nothing more, nothing less.
    /// </summary>
    public static void NoneLost(
        FakeSendGrid sendGrid,
        IEnumerable<string> studyIds,
        IReadOnlyList<(DateOnly Day, Wave Wave, string Kind)> expected
    )
    {
        var accepted = Accepted(sendGrid);
        Assert.All(
            studyIds,
            id =>
                Assert.Equal(
                    expected,
                    accepted.Where(e => e.To == FollowUpWorld.Address(id)).Select(e => e.Summary).Order()
                )
        );
    }

    /// <summary>
    /// The status index checked against the waves; when a fault left it stale, the documented repair
    /// (<c>./pvp followups check --repair</c>, docs/storage.md) must put it right. Returns what the check found.
    /// </summary>
    public static async Task<StatusCheckReport> StatusIndexAsync(IServiceProvider host, CancellationToken ct)
    {
        var check = host.GetRequiredService<StatusIndexCheck>();
        var found = await check.RunAsync(repair: false, ct);
        if (!found.Consistent)
        {
            await check.RunAsync(repair: true, ct);
            Assert.True((await check.RunAsync(repair: false, ct)).Consistent, "The repair left the index wrong.");
        }
        return found;
    }

    public static string Show(StatusCheckReport r) =>
        r.Consistent
            ? $"status index clean ({r.Waves} waves)"
            : $"status index repaired (missing {r.Missing}, stale {r.Stale}, orphaned {r.Orphaned}, "
                + $"counts {r.CountsWrong}, copies {r.CopiesWrong})";
}
