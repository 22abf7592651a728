using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Hosting;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Cli.Demo;

/// <summary>Per wave, what the follow-up engine did over the simulated study.</summary>
public sealed record WaveTally(Wave Wave, int Invited, int Reminders, int Expired, int Skipped, int Open);

/// <summary>
/// A study run by the engine itself: synthetic patients enrolled two days before procedures spread over the past 14
/// months, and the real scheduler and sender (in-process, over the demo's Azurite, Outbox transport) run once for
/// every clinic day of that span by moving a <see cref="TimeProvider"/> — never the system clock.
/// </summary>
public sealed class StudySimulation(string storageConnectionString, string publicBaseUrl)
{
    public const string Prefix = "study";

    public async Task<IReadOnlyList<WaveTally>> RunAsync(
        int patients,
        Action<long> progress,
        CancellationToken cancellationToken
    )
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var services = Build(clock);
        var storage = services.GetRequiredService<PvpStorage>();
        await storage.EnsureCreatedAsync(cancellationToken);
        var clinic = services.GetRequiredService<ClinicClock>();
        var enrolment = services.GetRequiredService<EnrolmentService>();
        var events = services.GetRequiredService<PatientEventService>();
        var scheduler = services.GetRequiredService<FollowUpScheduler>();
        var sender = services.GetRequiredService<InvitationSender>();

        var today = clinic.Today();
        var first = today.AddMonths(-14);
        var random = new Random(14);
        var plan = Enumerable
            .Range(1, patients)
            .Select(i =>
                (Id: $"STUDY-{i:D4}", Procedure: first.AddDays(2 + random.Next(today.DayNumber - first.DayNumber - 2)))
            )
            .ToLookup(p => p.Procedure.AddDays(-2));
        var coordinator = new Actor("coordinator", "demo");
        var day = 0L;
        for (var d = first; d <= today; d = d.AddDays(1))
        {
            // 09:00 at the clinic on day d.
            clock.Set(clinic.StartOf(d).AddHours(9));
            foreach (var (id, procedure) in plan[d])
                await enrolment.EnrolAsync(Request(id, procedure, random), coordinator, cancellationToken);
            // One patient in forty dies during follow-up; the engine must stop writing to them.
            foreach (var (id, procedure) in plan[d.AddDays(-60)].Where(_ => random.Next(40) == 0))
                await events.RecordAsync(
                    id,
                    new PatientEventRequest("death", null, Codes.Format(d), null, null, null, null, null),
                    coordinator,
                    cancellationToken
                );
            await scheduler.RunAsync(cancellationToken);
            await DrainAsync(scheduler, sender, cancellationToken);
            progress(++day);
        }
        return await TallyAsync(storage, cancellationToken);
    }

    public static int Days =>
        DateOnly.FromDateTime(DateTime.UtcNow).DayNumber
        - DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-14).DayNumber
        + 1;

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
            // Demo addresses only: the reserved .invalid domain can never reach anyone.
            $"{id.ToLowerInvariant()}@demo.invalid",
            random.Next(3) == 0 ? "en" : "da"
        );

    private static async Task<IReadOnlyList<WaveTally>> TallyAsync(
        PvpStorage storage,
        CancellationToken cancellationToken
    )
    {
        var rows = await storage
            .Patients.QueryAsync<TableEntity>(
                "RowKey ge 'wave|' and RowKey lt 'wave}'",
                cancellationToken: cancellationToken
            )
            .ToListAsync(cancellationToken);
        return Waves
            .All.Select(w =>
            {
                var mine = rows.Where(r => r.GetString("Wave") == w.Code()).ToList();
                int Count(string state) => mine.Count(r => r.GetString("State") == state);
                return new WaveTally(
                    w,
                    mine.Count(r => r.GetString("InvitedOn") is not null),
                    mine.Sum(r => r.GetInt32("Reminders") ?? 0),
                    Count("expired"),
                    Count("skipped"),
                    Count("scheduled") + Count("invited") + Count("reminded")
                );
            })
            .ToList();
    }

    private ServiceProvider Build(TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = storageConnectionString,
                    ["Storage:NamePrefix"] = Prefix,
                    ["InvitationsQueue"] = Prefix + "-invitations",
                    ["FollowUp:TokenKey"] = Convert.ToBase64String(
                        System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)
                    ),
                    ["Email:Transport"] = "Outbox",
                    ["Clinic:PublicBaseUrl"] = publicBaseUrl,
                }
            )
            .Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        services.AddSingleton(clock);
        return services.BuildServiceProvider();
    }

    /// <summary>A clock the simulation sets, day by day.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Set(DateTimeOffset now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    public static string Format(IReadOnlyList<WaveTally> tallies) =>
        string.Join(
            Environment.NewLine,
            tallies
                .Select(t =>
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {t.Wave.Code(),-8}  invited {t.Invited,4}  reminders {t.Reminders,4}  expired {t.Expired,4}  skipped {t.Skipped,3}  open {t.Open,3}"
                    )
                )
                .Prepend("Follow-up of the synthetic study (14 months, run day by day):")
        );
}
