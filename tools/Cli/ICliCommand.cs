namespace PvpServerless.Cli;

/// <summary>One verb of ./pvp. Each lives in its own file under Commands/.</summary>
public interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken);
}

/// <summary>Standard streams, passed in so commands can be tested without a process.</summary>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    public static CliConsole System =>
        new(global::System.Console.In, global::System.Console.Out, global::System.Console.Error);
}
