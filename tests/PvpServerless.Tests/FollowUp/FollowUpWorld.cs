using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Hosting;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>How the harness hands a queue message to the senders.</summary>
public enum Delivery
{
    /// <summary>Once, moving the clock through any retry wait of the sender.</summary>
    Once,

    /// <summary>Twice at the same moment, to two hosts' senders (as a queue may do): no retry waits expected.</summary>
    Twice,
}

/// <summary>
/// The follow-up engine in-process over the shared Azurite: one or more hosts built with AddPvpCore over a storage
/// prefix of their own, a fake clock moved by clinic days, SendGrid faked at the edge. Tests enrol, run the
/// scheduler, drain the invitations queue into the sender (deleting what was handled and leaving what SendGrid asked
/// to wait, as the queue trigger does) and read back the rows and the e-mails that reached SendGrid.
/// </summary>
public sealed class FollowUpWorld : IAsyncDisposable
{
    public static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");

    /// <summary>Email:SendTimeout: the HTTP call's timeout, never a wait to move the clock through.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly string _prefix;
    private readonly List<ServiceProvider> _hosts = [];

    private FollowUpWorld(string connectionString, string prefix, FollowUpClock clock, FakeSendGrid sendGrid)
    {
        _connectionString = connectionString;
        _prefix = prefix;
        Clock = clock;
        SendGrid = sendGrid;
    }

    public FollowUpClock Clock { get; }

    public FakeSendGrid SendGrid { get; }

    public PvpStorage Storage => Host(0).GetRequiredService<PvpStorage>();

    public string ConnectionString => _connectionString;

    /// <summary>The storage name prefix of this world's tables, containers and queue.</summary>
    public string Prefix => _prefix;

    /// <summary>Every request that reached SendGrid, as e-mails, in order of arrival.</summary>
    public IReadOnlyList<SentEmail> Emails => [.. SendGrid.Requests.Select(SentEmail.From)];

    /// <summary>The clinic's date now, computed here from the zone (not by the code under test).</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Copenhagen).DateTime);

    /// <summary>A world whose clock reads <paramref name="day"/> at 08:00 in Copenhagen, with one host.</summary>
    public static Task<FollowUpWorld> StartAsync(
        AzuriteFixture azurite,
        DateOnly day,
        CancellationToken cancellationToken
    ) => StartAsync(azurite.ConnectionString, azurite.NewPrefix(), day, cancellationToken);

    /// <summary>The same over any storage (the fault tests' Azurite, which they stop and start again).</summary>
    public static async Task<FollowUpWorld> StartAsync(
        string connectionString,
        string prefix,
        DateOnly day,
        CancellationToken cancellationToken,
        Action<IServiceCollection>? configure = null
    )
    {
        var clock = new FollowUpClock(At(day, 8));
        var world = new FollowUpWorld(connectionString, prefix, clock, await FakeSendGrid.StartAsync(clock));
        await world.AddHostAsync(cancellationToken, configure);
        return world;
    }

    /// <summary>The UTC instant of a wall-clock time at the clinic (Europe/Copenhagen).</summary>
    public static DateTimeOffset At(DateOnly day, int hour, int minute = 0) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(hour, minute)), Copenhagen), TimeSpan.Zero);

    /// <summary>Another host (a second Functions instance) over the same storage, clock and SendGrid.</summary>
    /// <param name="configure">Last words on the host's services (the fault tests' storage clients).</param>
    public async Task AddHostAsync(CancellationToken cancellationToken, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = _connectionString,
                    ["Storage:NamePrefix"] = _prefix,
                    ["InvitationsQueue"] = _prefix + "-invitations",
                    ["FollowUp:TokenKey"] = HostFixture.TokenKey,
                    ["Clinic:TimeZone"] = "Europe/Copenhagen",
                    ["Clinic:PublicBaseUrl"] = "https://pvp.example.dk",
                    ["Clinic:Name"] = "Klinik Nord",
                    ["Clinic:Phone"] = "+45 70 00 00 00",
                    ["Email:Transport"] = "SendGrid",
                    ["Email:SendGridApiKey"] = FakeSendGrid.ApiKey,
                    ["Email:SendGridHost"] = SendGrid.Url,
                    ["Email:FromAddress"] = "noreply@example.dk",
                    ["Email:SendTimeout"] = SendTimeout.ToString("c", CultureInfo.InvariantCulture),
                }
            )
            .Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        // Backing off after a lost race is a real-time pause of milliseconds, not a clinic day: on the fake clock
        // it would wait for a test to move time.
        services.AddSingleton(new Contention(TimeProvider.System));
        configure?.Invoke(services);
        var host = services.BuildServiceProvider();
        host.GetRequiredService<IStartupValidator>().Validate();
        await host.GetRequiredService<PvpStorage>().EnsureCreatedAsync(cancellationToken);
        _hosts.Add(host);
    }

    public IServiceProvider Host(int i) => _hosts[i];

    /// <summary>Moves the clock forward to a wall-clock time at the clinic.</summary>
    public void SetTime(DateOnly day, int hour = 8, int minute = 0) => Clock.SetUtcNow(At(day, hour, minute));

    /// <summary>Enrols a patient through the enrolment service (English e-mails, which name their wave).</summary>
    public async Task<string> EnrolAsync(
        DateOnly procedureDate,
        CancellationToken cancellationToken,
        string? studyId = null
    )
    {
        var id = studyId ?? Tests.Patients.Enrolments.NewStudyId();
        var request = new EnrolmentRequest(
            id,
            "F",
            78,
            "chronicLymphocyticLeukaemia",
            "boneMarrowBiopsy",
            Codes.Format(procedureDate),
            [new LevelRequest("T12", true), new LevelRequest("L1", false)],
            [],
            Address(id),
            "en"
        );
        var result = await Host(0)
            .GetRequiredService<EnrolmentService>()
            .EnrolAsync(request, new Actor("coordinator"), cancellationToken);
        Assert.IsType<EnrolmentResult.Created>(result);
        return id;
    }

    /// <summary>The patient's e-mail address (so a test can look for it where it must not be).</summary>
    public static string Address(string studyId) => $"{studyId.ToLowerInvariant()}@patients.example.dk";

    public Task<SchedulerRun> RunSchedulerAsync(CancellationToken cancellationToken, int host = 0) =>
        Host(host).GetRequiredService<FollowUpScheduler>().RunAsync(cancellationToken);

    /// <summary>A run at the clinic: the clock set to a local time, one scheduler run, the queue drained.</summary>
    public async Task<SchedulerRun> DayAsync(
        DateOnly day,
        CancellationToken cancellationToken,
        int hour = 8,
        int minute = 0
    )
    {
        SetTime(day, hour, minute);
        var run = await RunSchedulerAsync(cancellationToken);
        await DrainAsync(cancellationToken);
        return run;
    }

    /// <summary>
    /// Hands every visible message to the sender until none is left but those SendGrid asked to wait for: a
    /// handled message is deleted; one whose handling threw <see cref="SendLaterException"/> is made visible
    /// again for a later drain, as the queue trigger would. Returns what the sender did, in order.
    /// </summary>
    public async Task<IReadOnlyList<SendDisposition>> DrainAsync(
        CancellationToken cancellationToken,
        Delivery delivery = Delivery.Once
    )
    {
        var queue = Host(0).GetRequiredService<FollowUpScheduler>().Queue;
        var done = new List<SendDisposition>();
        var deferred = new HashSet<string>();
        while (true)
        {
            QueueMessage[] batch = (
                await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), cancellationToken)
            ).Value;
            if (batch.Length == 0)
                return done;
            var fresh = batch.Count(m => !deferred.Contains(m.MessageId));
            foreach (var message in batch)
            {
                if (deferred.Contains(message.MessageId))
                {
                    await ReleaseAsync(queue, message, cancellationToken);
                    continue;
                }
                try
                {
                    done.AddRange(await DeliverAsync(message.Body.ToString(), delivery, cancellationToken));
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                }
                catch (SendLaterException)
                {
                    deferred.Add(message.MessageId);
                    done.Add(SendDisposition.RetryLater);
                    await ReleaseAsync(queue, message, cancellationToken);
                }
            }
            if (fresh == 0)
                return done;
        }
    }

    /// <summary>Makes a received message visible again at once, as the queue trigger does after a failure.</summary>
    private static Task ReleaseAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken) =>
        queue.UpdateMessageAsync(
            message.MessageId,
            message.PopReceipt,
            visibilityTimeout: TimeSpan.Zero,
            cancellationToken: cancellationToken
        );

    private async Task<IReadOnlyList<SendDisposition>> DeliverAsync(
        string text,
        Delivery delivery,
        CancellationToken cancellationToken
    )
    {
        if (delivery == Delivery.Once)
        {
            var handling = Host(0).GetRequiredService<InvitationSender>().HandleAsync(text, cancellationToken);
            await Clock.DriveAsync(handling, SendTimeout, cancellationToken);
            return [await handling];
        }
        var second = Host(_hosts.Count > 1 ? 1 : 0);
        return await Task.WhenAll(
            Task.Run(() => Host(0).GetRequiredService<InvitationSender>().HandleAsync(text, cancellationToken)),
            Task.Run(() => second.GetRequiredService<InvitationSender>().HandleAsync(text, cancellationToken))
        );
    }

    /// <summary>The wave's row as stored (read here, not through the code under test).</summary>
    public async Task<TableEntity> WaveRowAsync(string studyId, Wave wave, CancellationToken cancellationToken) =>
        (
            await Storage.Patients.GetEntityAsync<TableEntity>(
                StudyIds.Key(studyId),
                "wave|" + wave.Code(),
                cancellationToken: cancellationToken
            )
        ).Value;

    /// <summary>The wave's State column, and its reminders so far.</summary>
    public async Task<(string? State, int? Reminders)> WaveStateAsync(
        string studyId,
        Wave wave,
        CancellationToken cancellationToken
    )
    {
        var row = await WaveRowAsync(studyId, wave, cancellationToken);
        return (row.GetString("State"), row.GetInt32("Reminders"));
    }

    /// <summary>A death or withdrawal on today's clinic date, through the event service.</summary>
    public async Task RecordAsync(string studyId, string type, CancellationToken cancellationToken)
    {
        var request = new PatientEventRequest(type, null, Codes.Format(Today), null, null, null, null, null);
        var result = await Host(0)
            .GetRequiredService<PatientEventService>()
            .RecordAsync(studyId, request, new Actor("coordinator"), cancellationToken);
        Assert.IsType<EventResult.Applied>(result);
    }

    /// <summary>What the opt-out page does: OptedOutAt on the patient's record.</summary>
    public Task OptOutAsync(string studyId, CancellationToken cancellationToken) =>
        Storage.Patients.UpdateEntityAsync(
            new TableEntity(StudyIds.Key(studyId), "patient") { ["OptedOutAt"] = Clock.GetUtcNow() },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken
        );

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        await SendGrid.DisposeAsync();
    }
}
