namespace PvpServerless.Tests.Repository;

/// <summary>
/// The house rule that no line of C# is longer than 120 characters, checked over the whole checkout so that a long
/// string or comment (which CSharpier leaves alone) fails the build's tests rather than a review.
/// </summary>
public sealed class LineLengthTests
{
    private const int MaxLength = 120;
    private static readonly string[] Roots = ["shared", "functions", "tools", "tests"];
    private static readonly string[] Skipped = ["bin", "obj", "node_modules"];

    [Fact]
    public void No_line_of_csharp_is_longer_than_120_characters()
    {
        var root = RepositoryRoot();
        var files = Roots.SelectMany(r => CSharpFiles(Path.Combine(root, r))).ToList();
        Assert.NotEmpty(files);

        var tooLong = files
            .SelectMany(file =>
                File.ReadLines(file)
                    .Select((line, index) => (Line: index + 1, Length: line.EnumerateRunes().Count()))
                    .Where(l => l.Length > MaxLength)
                    .Select(l => $"{Path.GetRelativePath(root, file)}:{l.Line} ({l.Length} characters)")
            )
            .ToList();

        Assert.True(tooLong.Count == 0, $"Lines over {MaxLength} characters:\n" + string.Join("\n", tooLong));
    }

    /// <summary>The C# files below <paramref name="dir"/>, build output and node_modules left out.</summary>
    internal static IEnumerable<string> CSharpFiles(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir, "*.cs"))
            yield return file;
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (Skipped.Contains(Path.GetFileName(sub)))
                continue;
            foreach (var file in CSharpFiles(sub))
                yield return file;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PvpServerless.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No PvpServerless.sln above {AppContext.BaseDirectory}.");
    }
}
