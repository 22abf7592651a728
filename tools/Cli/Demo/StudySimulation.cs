using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Patients;

namespace PvpServerless.Cli.Demo;

/// <summary>
/// The running local host as the study sees it: its services (the host's own scheduler and sender, storage and
/// clock), its address, the master key (outbox) and the researcher key (cohort export), and the clock it was given.
/// </summary>
public sealed record StudyHost(
    IServiceProvider Services,
    Uri Url,
    string MasterKey,
    string ResearcherKey,
    StudyClock Clock
);

/// <summary>
/// A study run by the engine itself: synthetic patients enrolled two days before procedures spread over the past
/// months, and the host's real scheduler and sender (Outbox transport) run once for every clinic day of that span by
/// moving the host's <see cref="TimeProvider"/> — never the system clock. The patients answer through the survey
/// pages over HTTP (<see cref="StudyRespondents"/>), so the pages see the simulated day too.
/// </summary>
public sealed class StudySimulation(StudyHost host)
{
    public const string IdPrefix = "STUDY-";

    public async Task<StudyResult> RunAsync(
        int patients,
        int months,
        Action<long> progress,
        CancellationToken cancellationToken
    )
    {
        var services = host.Services;
        var clinic = services.GetRequiredService<ClinicClock>();
        var enrolment = services.GetRequiredService<EnrolmentService>();
        var events = services.GetRequiredService<PatientEventService>();
        var scheduler = services.GetRequiredService<FollowUpScheduler>();
        var sender = services.GetRequiredService<InvitationSender>();
        using var respondents = new StudyRespondents(host, clinic);

        var today = clinic.Today();
        var first = today.AddMonths(-months);
        var random = new Random(14);
        var plan = Enumerable
            .Range(1, patients)
            .Select(i =>
                (
                    Id: $"{IdPrefix}{i:D4}",
                    Procedure: first.AddDays(2 + random.Next(today.DayNumber - first.DayNumber - 2))
                )
            )
            .ToLookup(p => p.Procedure.AddDays(-2));
        var coordinator = new Actor("coordinator", "demo");
        var day = 0L;
        for (var d = first; d <= today; d = d.AddDays(1))
        {
            // 09:00 at the clinic on day d.
            host.Clock.Set(clinic.StartOf(d).AddHours(9));
            foreach (var (id, procedure) in plan[d])
            {
                await enrolment.EnrolAsync(Request(id, procedure, random), coordinator, cancellationToken);
                respondents.Enrolled(id);
            }
            // One patient in forty dies during follow-up; the engine must stop writing to them.
            foreach (var (id, procedure) in plan[d.AddDays(-60)].Where(_ => random.Next(40) == 0))
                await events.RecordAsync(
                    id,
                    new PatientEventRequest("death", null, Codes.Format(d), null, null, null, null, null),
                    coordinator,
                    cancellationToken
                );
            await scheduler.RunAsync(cancellationToken);
            var sent = await DrainAsync(scheduler, sender, cancellationToken);
            await respondents.ReadMailAsync(d, sent, cancellationToken);
            await respondents.AnswerAsync(d, cancellationToken);
            progress(++day);
        }
        // The last day was today: the host may keep the real time again, so the links it signs for the dashboard
        // and the researchers (read-only, minutes long, checked by storage against the real time) open.
        host.Clock.Release();
        var tallies = await StudyTally.ReadAsync(host, today, cancellationToken);
        return new StudyResult(months, today, tallies, respondents.Answers);
    }

    /// <summary>Clinic days in a study of <paramref name="months"/> months up to today, both ends included.</summary>
    public static int Days(int months)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return today.DayNumber - today.AddMonths(-months).DayNumber + 1;
    }

    /// <summary>Hands every queued message to the sender, as the queue trigger would; the e-mails sent.</summary>
    private static async Task<int> DrainAsync(
        FollowUpScheduler scheduler,
        InvitationSender sender,
        CancellationToken cancellationToken
    )
    {
        var sent = 0;
        while (true)
        {
            var batch = await scheduler.Queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken);
            if (batch.Value.Length == 0)
                return sent;
            foreach (var m in batch.Value)
            {
                if (await sender.HandleAsync(m.Body.ToString(), cancellationToken) == SendDisposition.Sent)
                    sent++;
                await scheduler.Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, cancellationToken);
            }
        }
    }

    private static EnrolmentRequest Request(string id, DateOnly procedure, Random random) =>
        new(
            id,
            random.Next(2) == 0 ? "M" : "F",
            55 + random.Next(35),
            "multipleMyeloma",
            "boneMarrowBiopsy",
            Codes.Format(procedure),
            [new LevelRequest("L1", random.Next(3) == 0)],
            [],
            // Demo addresses only: the reserved .invalid domain can never reach anyone.
            $"{id.ToLowerInvariant()}@demo.invalid",
            random.Next(3) == 0 ? "en" : "da"
        );
}
