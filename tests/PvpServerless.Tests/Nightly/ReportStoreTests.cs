using System.Collections;
using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.LocalHost;
using PvpServerless.Reports.Bundle;
using PvpServerless.Reports.Nightly;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Nightly;

public sealed class ReportStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PvpStorage Storage(string connection, string prefix) =>
        new(Options.Create(new StorageOptions { ConnectionString = connection, NamePrefix = prefix }));

    /// <summary>A small but complete folder: a few files and a manifest that lists them.</summary>
    private static IReadOnlyList<BundleFile> Folder(DateOnly day, string marker, int files = 6)
    {
        var list = Enumerable
            .Range(1, files)
            .Select(i => new BundleFile($"file{i}.csv", Encoding.UTF8.GetBytes($"{marker} {i}"), "text/csv"))
            .ToList();
        var manifest = new BundleManifest(
            1,
            day,
            list.Select(f => new ManifestEntry(f.Name, f.Content.Length, ReportBundle.Sha256Hex(f.Content))).ToList(),
            "input",
            "test",
            DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch,
            new global::PvpServerless.Analysis.Eq5dInfo("3L", "DK"),
            0
        );
        list.Add(new BundleFile(BundleManifest.FileName, manifest.Serialize(), "application/json"));
        return list;
    }

    /// <summary>
    /// Files that stop the storage when the upload reaches the given one: "storage stopped mid-write".
    /// </summary>
    private sealed class StopStorageAt(IReadOnlyList<BundleFile> files, int index, Func<Task> stop)
        : IReadOnlyList<BundleFile>
    {
        public BundleFile this[int i] => files[i];
        public int Count => files.Count;

        public IEnumerator<BundleFile> GetEnumerator()
        {
            for (var i = 0; i < files.Count; i++)
            {
                if (i == index)
                    stop().GetAwaiter().GetResult();
                yield return files[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task A_run_killed_half_way_leaves_latest_on_the_previous_complete_report_and_the_next_run_succeeds()
    {
        var data = Directory.CreateTempSubdirectory("pvp-azurite-kill-").FullName;
        var ports = (Azurite.FreePort(), Azurite.FreePort(), Azurite.FreePort());
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T01:00:00Z"));
        var first = await Azurite.StartAsync(AzuriteFixture.RepoRoot, data, ports, TextWriter.Null, Ct);
        var storage = Storage(first.ConnectionString, "kill");
        await storage.EnsureCreatedAsync(Ct);
        var store = new ReportStore(storage, clock);
        var monday = new DateOnly(2026, 11, 23);
        var tuesday = monday.AddDays(1);
        await store.PublishAsync(monday, Folder(monday, "monday"), Ct);

        // Tuesday's run: the storage stops after three of its files.
        var failed = await Record.ExceptionAsync(() =>
            store.PublishAsync(
                tuesday,
                new StopStorageAt(Folder(tuesday, "tuesday"), 3, () => first.DisposeAsync().AsTask()),
                Ct
            )
        );
        Assert.NotNull(failed);

        await using var second = await Azurite.StartAsync(AzuriteFixture.RepoRoot, data, ports, TextWriter.Null, Ct);
        var restarted = new ReportStore(Storage(second.ConnectionString, "kill"), clock);
        Assert.Equal(monday, (await restarted.GetLatestAsync(Ct))?.Day);
        Assert.Equal([monday], (await restarted.ListAsync(Ct)).Select(d => d.Day));
        // half a folder is never served
        Assert.Null(await restarted.LinkAsync(tuesday, "file1.csv", TimeSpan.FromMinutes(5), Ct));

        await restarted.PublishAsync(tuesday, Folder(tuesday, "tuesday"), Ct);
        Assert.Equal(tuesday, (await restarted.GetLatestAsync(Ct))?.Day);
        Assert.Equal([tuesday, monday], (await restarted.ListAsync(Ct)).Select(d => d.Day));
    }

    [Fact]
    public async Task Re_running_the_latest_day_and_dying_falls_back_to_the_day_before()
    {
        var prefix = azurite.NewPrefix();
        var storage = Storage(azurite.ConnectionString, prefix);
        await storage.EnsureCreatedAsync(Ct);
        var store = new ReportStore(storage, TimeProvider.System);
        var monday = new DateOnly(2026, 11, 23);
        var tuesday = monday.AddDays(1);
        await store.PublishAsync(monday, Folder(monday, "monday"), Ct);
        await store.PublishAsync(tuesday, Folder(tuesday, "tuesday"), Ct);

        var failing = new StopStorageAt(Folder(tuesday, "again"), 2, () => throw new IOException("storage went away"));
        await Assert.ThrowsAsync<IOException>(() => store.PublishAsync(tuesday, failing, Ct));
        Assert.Equal(monday, (await store.GetLatestAsync(Ct))?.Day);

        await store.PublishAsync(tuesday, Folder(tuesday, "again"), Ct);
        Assert.Equal(tuesday, (await store.GetLatestAsync(Ct))?.Day);
        var content = await storage.Reports.GetBlobClient("2026/11/24/file1.csv").DownloadContentAsync(Ct);
        Assert.Equal("again 1", content.Value.Content.ToString());
    }

    [Fact]
    public async Task Retention_deletes_old_days_but_never_the_latest_and_an_old_rerun_does_not_move_latest_back()
    {
        var storage = Storage(azurite.ConnectionString, azurite.NewPrefix());
        await storage.EnsureCreatedAsync(Ct);
        var store = new ReportStore(storage, TimeProvider.System);
        var old = new DateOnly(2025, 1, 1);
        var recent = new DateOnly(2026, 11, 1);
        await store.PublishAsync(recent, Folder(recent, "recent"), Ct);
        await store.PublishAsync(old, Folder(old, "old"), Ct);
        Assert.Equal(recent, (await store.GetLatestAsync(Ct))?.Day);

        var removed = await store.DeleteBeforeAsync(new DateOnly(2026, 1, 1), Ct);
        Assert.Equal(7, removed);
        Assert.Equal([recent], (await store.ListAsync(Ct)).Select(d => d.Day));
        Assert.Equal(0, await store.DeleteBeforeAsync(new DateOnly(2027, 1, 1), Ct)); // the latest day stays
    }

    [Fact]
    public async Task Listing_reads_the_newest_days_first_and_only_as_many_as_asked()
    {
        var storage = Storage(azurite.ConnectionString, azurite.NewPrefix());
        await storage.EnsureCreatedAsync(Ct);
        var store = new ReportStore(storage, TimeProvider.System);
        var days = Enumerable.Range(0, 4).Select(i => new DateOnly(2026, 10, 1).AddDays(i * 9)).ToList();
        foreach (var day in days)
            await store.PublishAsync(day, Folder(day, "d"), Ct);
        Assert.Equal(days.AsEnumerable().Reverse().Take(2), (await store.ListAsync(Ct, take: 2)).Select(d => d.Day));
        Assert.Equal(4, (await store.ListAsync(Ct)).Count);
    }
}
