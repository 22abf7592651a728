using System.Globalization;

namespace PvpServerless.LocalHost;

/// <summary>
/// One Azurite per data folder. Two Azurites on one folder each keep the data in memory and save their own copy, so
/// what was written through one of them is lost when the other saves. Whoever starts Azurite on a folder holds an
/// exclusive lock on <c>{folder}/.lock</c> until Azurite has stopped; the operating system releases it when the
/// process ends, however it ends, so a lock is never stale and no process id is ever guessed. The holder writes its
/// ports to <c>{folder}/.ports</c>, so that other commands can use the running Azurite instead of starting one.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    private const string LockFile = ".lock";
    private const string PortsFile = ".ports";

    private readonly FileStream _lock;

    private DataFolderLock(string folder, FileStream lockFile) => (Folder, _lock) = (folder, lockFile);

    public string Folder { get; }

    /// <summary>Takes the folder's lock (creating the folder), or throws <see cref="DataFolderInUseException"/>.</summary>
    public static DataFolderLock Acquire(string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            // FileShare.None is an exclusive flock on Linux: refused while any other open handle holds it.
            return new DataFolderLock(
                folder,
                new FileStream(
                    Path.Combine(folder, LockFile),
                    FileMode.OpenOrCreate,
                    FileAccess.ReadWrite,
                    FileShare.None
                )
            );
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataFolderInUseException(folder, ex);
        }
    }

    /// <summary>Whether someone holds the folder's lock now (an Azurite runs on it).</summary>
    public static bool IsHeld(string folder)
    {
        var file = Path.Combine(folder, LockFile);
        if (!File.Exists(file))
            return false;
        try
        {
            // A shared lock: refused only while the exclusive one is held.
            using var probe = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The ports of the Azurite that holds the folder now; null when none runs on it.</summary>
    public static (int Blob, int Queue, int Table)? RunningPorts(string folder)
    {
        if (!IsHeld(folder))
            return null;
        try
        {
            var parts = File.ReadAllText(Path.Combine(folder, PortsFile)).Split(' ', StringSplitOptions.TrimEntries);
            return parts.Length == 3 ? (Port(parts[0]), Port(parts[1]), Port(parts[2])) : null;
        }
        catch (Exception ex) when (ex is IOException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>What to tell someone who wants to start a second Azurite on the folder.</summary>
    public static string InUseMessage(string folder) =>
        $"{folder} is in use by another Azurite"
        + (RunningPorts(folder) is { } p ? $" (blob port {p.Blob}, table port {p.Table})" : "")
        + ", started by another ./pvp up or ./pvp seed. One Azurite per data folder: a second one would lose what the"
        + " first stores. Stop the other first (Ctrl-C where it runs, or kill -TERM its process).";

    /// <summary>Tells other commands where this folder's Azurite listens.</summary>
    public void Publish(int blob, int queue, int table) =>
        File.WriteAllText(
            Path.Combine(Folder, PortsFile),
            string.Create(CultureInfo.InvariantCulture, $"{blob} {queue} {table}")
        );

    public void Dispose()
    {
        File.Delete(Path.Combine(Folder, PortsFile));
        _lock.Dispose();
    }

    private static int Port(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>Another process runs Azurite on this data folder.</summary>
public sealed class DataFolderInUseException(string folder, Exception inner)
    : IOException(DataFolderLock.InUseMessage(folder), inner)
{
    public string Folder { get; } = folder;
}
