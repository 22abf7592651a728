using System.Diagnostics;
using PvpServerless.LocalHost;

namespace PvpServerless.Tests.LocalHost;

public sealed class DataFolderLockTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("pvp-lock-").FullName, "azurite");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public void A_second_lock_on_the_folder_is_refused_until_the_first_is_released()
    {
        using (var first = DataFolderLock.Acquire(_folder))
        {
            first.Publish(41000, 41001, 41002);
            Assert.True(DataFolderLock.IsHeld(_folder));
            Assert.Equal((41000, 41001, 41002), DataFolderLock.RunningPorts(_folder));
            var refused = Assert.Throws<DataFolderInUseException>(() => DataFolderLock.Acquire(_folder));
            Assert.StartsWith(
                $"{_folder} is in use by another Azurite (blob port 41000, table port 41002)",
                refused.Message
            );
        }
        Assert.False(DataFolderLock.IsHeld(_folder));
        Assert.Null(DataFolderLock.RunningPorts(_folder));
        using var again = DataFolderLock.Acquire(_folder);
        Assert.True(DataFolderLock.IsHeld(_folder));
    }

    [Fact]
    public async Task A_lock_held_by_a_process_that_is_killed_is_free_at_once_though_its_file_stays()
    {
        Directory.CreateDirectory(_folder);
        // util-linux flock takes the same kind of lock as .NET's FileShare.None; --close keeps it in flock alone.
        using var holder = Process.Start(
            new ProcessStartInfo("flock", ["--exclusive", "--close", Path.Combine(_folder, ".lock"), "sleep", "60"])
        )!;
        var deadline = Stopwatch.GetTimestamp();
        while (!DataFolderLock.IsHeld(_folder) && Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Throws<DataFolderInUseException>(() => DataFolderLock.Acquire(_folder));

        holder.Kill(entireProcessTree: true); // SIGKILL: no clean-up of any kind
        await holder.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(Path.Combine(_folder, ".lock")));
        using var taken = DataFolderLock.Acquire(_folder);
        Assert.True(DataFolderLock.IsHeld(_folder));
    }

    [Fact]
    public void A_folder_nobody_used_is_free() => Assert.False(DataFolderLock.IsHeld(_folder));
}
