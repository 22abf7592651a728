namespace PvpServerless.Cli;

/// <summary>Writes a set of files built in memory into a folder, all or nothing.</summary>
public static class OutputFolder
{
    /// <summary>
    /// Writes every file to a staging folder beside <paramref name="dir"/> first. A new folder then appears by one
    /// rename, complete; into an existing folder each file is moved over its old version, so no file is ever seen
    /// half-written. If writing fails, the staging folder is removed and <paramref name="dir"/> is left as it was.
    /// </summary>
    /// <returns>The full path of every file written, in the given order.</returns>
    public static async Task<IReadOnlyList<string>> WriteAllAsync(
        string dir,
        IReadOnlyList<(string Name, byte[] Content)> files,
        CancellationToken cancellationToken
    )
    {
        foreach (var (name, _) in files)
        {
            if (name.Length == 0 || Path.GetFileName(name) != name || name is "." or "..")
                throw new ArgumentException($"'{name}' is not a plain file name.", nameof(files));
        }
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        var parent =
            Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"Cannot write into the root folder '{target}'.", nameof(dir));
        Directory.CreateDirectory(parent);
        // Beside the target, so the final moves stay on one file system and are renames.
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}");
        try
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            Directory.CreateDirectory(staging);
            foreach (var (name, content) in files)
                await File.WriteAllBytesAsync(Path.Combine(staging, name), content, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (!Directory.Exists(target))
            {
                Directory.Move(staging, target);
            }
            else
            {
                foreach (var (name, _) in files)
                    File.Move(Path.Combine(staging, name), Path.Combine(target, name), overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
        return files.Select(f => Path.Combine(target, f.Name)).ToList();
    }
}
