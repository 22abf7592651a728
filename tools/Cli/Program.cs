using System.Runtime.InteropServices;
using PvpServerless.Cli;

// The first Ctrl-C (or SIGTERM, or the terminal closing) stops the command cleanly: ./pvp up lets its requests finish
// and Azurite save. A second one stops waiting. A script that starts ./pvp up in the background must use SIGTERM:
// a non-interactive shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored.
using var stopping = new CancellationTokenSource();
using var stopNow = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    if (stopping.IsCancellationRequested)
        stopNow.Cancel();
    stopping.Cancel();
}
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

return await PvpCommandLine.RunAsync(
    args,
    new CliContext(CliConsole.System, TimeProvider.System, stopNow.Token),
    stopping.Token
);
