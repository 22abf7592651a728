using System.CommandLine;
using System.CommandLine.Invocation;
using PvpServerless.Cli.Commands;

namespace PvpServerless.Cli;

/// <summary>
/// ./pvp's verbs on System.CommandLine: each verb and option has --help; a usage error names the option, says how to
/// get help and exits 2; a failure exits 1 with its message (PVP_DEBUG=1 adds the stack trace); Ctrl-C exits 130.
/// </summary>
public static class PvpCommandLine
{
    public const int UsageError = 2;

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "PvpServerless on one machine: the demo, a local stack, and the researcher's offline tools. "
                + "./pvp COMMAND --help tells more about each."
        )
        {
            UpCommand.Create(context),
            DemoCommand.Create(context),
            SeedCommand.Create(context),
            ScoreCommand.Create(context),
            StatsCommand.Create(context),
            ReportCommand.Create(context),
            FollowUpsCommand.Create(context),
        };
        root.HelpName = "./pvp";
        return root;
    }

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        CliContext context,
        CancellationToken cancellationToken
    )
    {
        var console = context.Console;
        // No command at all: the overview, as --help gives it.
        var result = Build(context).Parse(args.Count == 0 ? ["--help"] : args);
        if (result.Action is ParseErrorAction)
        {
            WriteUsageErrors(result, console.Error);
            return UsageError;
        }
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // ./pvp handles Ctrl-C and SIGTERM itself (Program.cs): up must be able to wait for its requests.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await result.InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A person reads this: the message, not a stack trace.
            console.Error.WriteLine($"pvp {CommandPath(result)}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("PVP_DEBUG") == "1")
                console.Error.WriteLine(ex);
            return 1;
        }
    }

    private static void WriteUsageErrors(ParseResult result, TextWriter error)
    {
        var path = CommandPath(result);
        var prefix = path.Length == 0 ? "pvp" : $"pvp {path}";
        foreach (var message in result.Errors.Select(e => e.Message).Distinct())
            error.WriteLine($"{prefix}: {message}");
        var command = path.Length == 0 ? "./pvp" : $"./pvp {path}";
        var subcommands = result.CommandResult.Command.Subcommands.Select(c => c.Name).ToList();
        var usage = subcommands.Count > 0 ? $"{command} {string.Join('|', subcommands)} …" : $"{command} [options]";
        error.WriteLine($"usage: {usage}   ({command} --help tells more)");
    }

    /// <summary>"score eq5d" for ./pvp score eq5d …; empty for the root.</summary>
    private static string CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (var r = result.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }
}
