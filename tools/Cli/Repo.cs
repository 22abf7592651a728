namespace PvpServerless.Cli;

public static class Repo
{
    /// <summary>
    /// The checkout: PVP_ROOT (set by ./pvp), else the first folder above here holding PvpServerless.sln.
    /// </summary>
    public static string Root
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PVP_ROOT") is { Length: > 0 } root)
                return root;
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "PvpServerless.sln")))
                        return dir.FullName;
                }
            }
            throw new InvalidOperationException(
                "Run ./pvp from the PvpServerless checkout (PvpServerless.sln not found)."
            );
        }
    }
}
