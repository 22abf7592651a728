using PvpServerless.Cli;
using PvpServerless.Cli.Commands;

ICliCommand[] commands =
[
    new UpCommand(),
    new DemoCommand(),
    new SeedCommand(),
    new ScoreCommand(),
    new StatsCommand(),
    new ReportCommand(),
];

var console = CliConsole.System;
if (args.Length == 0 || args[0] is "-h" or "--help" or "help" || commands.All(c => c.Name != args[0]))
{
    if (args.Length > 0 && args[0] is not ("-h" or "--help" or "help"))
        console.Error.WriteLine($"pvp: unknown command '{args[0]}'");
    console.Error.WriteLine("usage: ./pvp <command> [options]");
    foreach (var c in commands)
        console.Error.WriteLine($"  {c.Name,-8} {c.Summary}");
    return args.Length == 0 || args[0] is "-h" or "--help" or "help" ? 0 : 2;
}

using var cts = new CancellationTokenSource();

// Ctrl-C and a plain kill both stop a command cleanly (Azurite gets its SIGTERM and saves its data).
using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGINT,
    Stop
);
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    Stop
);
void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    cts.Cancel();
}

var command = commands.First(c => c.Name == args[0]);
try
{
    return await command.RunAsync(CliArgs.Parse(args.Skip(1)), console, cts.Token);
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    return 130;
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    // A person reads this: the message, not a stack trace (PVP_DEBUG=1 shows it all).
    console.Error.WriteLine($"pvp {command.Name}: {ex.Message}");
    if (Environment.GetEnvironmentVariable("PVP_DEBUG") == "1")
        console.Error.WriteLine(ex);
    return 1;
}
