using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Functions;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Tests.FollowUp;

namespace PvpServerless.Tests.Privacy;

/// <summary>
/// The second half of <c>./pvp demo</c> (tools/Cli/Demo/StudySimulation.cs): synthetic patients enrolled over the
/// past 14 months and the real scheduler and sender run on a moved clock, Outbox transport.
/// Unlike the demo, the services are registered as the Functions worker registers them (AddPvpFunctions, so its
/// loggers scrub) and log at every level into the capture.
/// </summary>
public static class StudyRun
{
    /// <summary>Runs the study over <paramref name="settings"/>' storage; returns the enrolled addresses.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(
        IReadOnlyDictionary<string, string?> settings,
        int patients,
        TelemetryCapture capture,
        CancellationToken cancellationToken
    )
    {
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, FollowUpWorld.Copenhagen);
        var today = DateOnly.FromDateTime(now.Date);
        var first = today.AddMonths(-14);
        var clock = new FakeTimeProvider(FollowUpWorld.At(first, 8));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(capture));
        services.AddPvpFunctions(configuration);
        services.AddLogging(DemoRunHost.EverythingAtTrace);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new Contention(TimeProvider.System));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<PvpStorage>().EnsureCreatedAsync(cancellationToken);
        var enrolment = provider.GetRequiredService<EnrolmentService>();
        var events = provider.GetRequiredService<PatientEventService>();
        var scheduler = provider.GetRequiredService<FollowUpScheduler>();
        var sender = provider.GetRequiredService<InvitationSender>();

        var random = new Random(14);
        var plan = Enumerable
            .Range(1, patients)
            .Select(i =>
                (Id: $"STUDY-{i:D4}", Procedure: first.AddDays(2 + random.Next(today.DayNumber - first.DayNumber - 2)))
            )
            .ToLookup(p => p.Procedure.AddDays(-2));
        var coordinator = new Actor("coordinator", "demo");
        for (var d = first; d <= today; d = d.AddDays(1))
        {
            clock.SetUtcNow(FollowUpWorld.At(d, 9));
            foreach (var (id, procedure) in plan[d])
                await enrolment.EnrolAsync(Request(id, procedure, random), coordinator, cancellationToken);
            foreach (var (id, _) in plan[d.AddDays(-60)].Where(_ => random.Next(8) == 0))
            {
                var death = new PatientEventRequest("death", null, Codes.Format(d), null, null, null, null, null);
                await events.RecordAsync(id, death, coordinator, cancellationToken);
            }
            // Every third day (the demo runs every day): the scheduler catches up on the days between, so the same
            // invitations, reminders and expiries happen in a third of the runs.
            if ((today.DayNumber - d.DayNumber) % 3 != 0)
                continue;
            await scheduler.RunAsync(cancellationToken);
            await DrainAsync(scheduler, sender, cancellationToken);
        }
        return [.. plan.SelectMany(g => g).Select(p => Address(p.Id))];
    }

    public static string Address(string studyId) => $"{studyId.ToLowerInvariant()}@demo.invalid";

    private static async Task DrainAsync(
        FollowUpScheduler scheduler,
        InvitationSender sender,
        CancellationToken cancellationToken
    )
    {
        while (true)
        {
            var batch = await scheduler.Queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken);
            if (batch.Value.Length == 0)
                return;
            foreach (var m in batch.Value)
            {
                await sender.HandleAsync(m.Body.ToString(), cancellationToken);
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
            Address(id),
            random.Next(3) == 0 ? "en" : "da"
        );
}
