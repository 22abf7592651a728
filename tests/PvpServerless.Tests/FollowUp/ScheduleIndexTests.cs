using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

public sealed class ScheduleIndexTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_day_returns_exactly_the_waves_indexed_on_it_and_moving_a_wave_leaves_the_old_day()
    {
        var storage = new PvpStorage(
            Options.Create(
                new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = azurite.NewPrefix() }
            )
        );
        await storage.EnsureCreatedAsync(Ct);
        var index = new ScheduleIndex(storage);
        var monday = new DateOnly(2025, 6, 30);
        await index.AddAsync("P-1", Wave.ThreeMonths, monday, Ct);
        await index.AddAsync("p-2", Wave.ThreeMonths, monday, Ct);
        await index.AddAsync("P-3", Wave.ThreeMonths, monday.AddDays(1), Ct);
        await index.AddAsync("P-1", Wave.OneYear, monday.AddDays(-1), Ct);
        await index.AddAsync("P-1", Wave.ThreeMonths, monday, Ct); // idempotent

        var due = await index.DueOnAsync(monday, Ct).Select(d => (d.StudyId, d.Wave)).ToListAsync(Ct);
        Assert.Equal([("P-1", Wave.ThreeMonths), ("p-2", Wave.ThreeMonths)], due);

        await index.RemoveAsync("p-2", Wave.ThreeMonths, monday, Ct);
        await index.RemoveAsync("p-2", Wave.ThreeMonths, monday, Ct); // absent is fine
        Assert.Equal(["P-1"], await index.DueOnAsync(monday, Ct).Select(d => d.StudyId).ToListAsync(Ct));
        Assert.Equal(["P-3"], await index.DueOnAsync(monday.AddDays(1), Ct).Select(d => d.StudyId).ToListAsync(Ct));
    }
}
