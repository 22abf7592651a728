using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.Contacts;
using PvpServerless.Patients;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Patients;

public sealed class PendingSweepTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sweep_rolls_back_stale_pending_enrolments_and_leaves_fresh_and_active_ones()
    {
        var storage = new PvpStorage(
            Options.Create(
                new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = azurite.NewPrefix() }
            )
        );
        await storage.EnsureCreatedAsync(Ct);
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 4, 1, 10, 0, 0, TimeSpan.Zero));
        var sweep = new PendingEnrolments(
            storage,
            new ContactStore(storage),
            new PvpServerless.FollowUp.ScheduleIndex(storage),
            Options.Create(new EnrolmentOptions()),
            Options.Create(new PvpServerless.FollowUp.FollowUpOptions()),
            new PvpServerless.Domain.ClinicClock(TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen"), clock),
            clock
        );

        async Task Pending(string id, DateTimeOffset at, string status)
        {
            await storage.Patients.AddEntityAsync(
                new TableEntity(id, "patient")
                {
                    ["StudyId"] = id,
                    ["Status"] = status,
                    ["ProcedureDate"] = "2025-03-31",
                    ["EnrolledAt"] = at,
                },
                Ct
            );
            foreach (var w in new[] { "baseline", "3m", "1y" })
                await storage.Patients.AddEntityAsync(new TableEntity(id, "wave|" + w), Ct);
            await storage.Schedule.AddEntityAsync(new TableEntity("2025-06-23", $"{id}|3m") { ["StudyId"] = id }, Ct);
            await sweep.MarkAsync(id, at, Ct);
        }
        await Pending("OLD", clock.GetUtcNow().AddMinutes(-10), "pending");
        await Pending("NEW", clock.GetUtcNow().AddMinutes(-1), "pending");
        await Pending("DONE", clock.GetUtcNow().AddMinutes(-10), "active");

        Assert.Equal(1, await sweep.SweepAsync(new Actor("scheduler"), Ct));

        Assert.False(
            (
                await storage.Patients.GetEntityIfExistsAsync<TableEntity>("OLD", "patient", cancellationToken: Ct)
            ).HasValue
        );
        Assert.False(
            (
                await storage.Schedule.GetEntityIfExistsAsync<TableEntity>(
                    "2025-06-23",
                    "OLD|3m",
                    cancellationToken: Ct
                )
            ).HasValue
        );
        Assert.True(
            (
                await storage.Patients.GetEntityIfExistsAsync<TableEntity>("NEW", "patient", cancellationToken: Ct)
            ).HasValue
        );
        Assert.True(
            (
                await storage.Patients.GetEntityIfExistsAsync<TableEntity>("DONE", "patient", cancellationToken: Ct)
            ).HasValue
        );
        var markers = await storage
            .Schedule.QueryAsync<TableEntity>("PartitionKey eq 'pending'", cancellationToken: Ct)
            .Select(e => e.RowKey)
            .ToListAsync(Ct);
        Assert.Equal(["NEW"], markers);
    }
}
