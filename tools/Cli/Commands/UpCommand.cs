using System.CommandLine;
using PvpServerless.Dashboard;
using PvpServerless.LocalHost;

namespace PvpServerless.Cli.Commands;

/// <summary>
/// <c>./pvp up [--port 7071]</c>: Azurite (data under .pvp/azurite) and the local Functions host, until Ctrl-C or
/// SIGTERM. Then it refuses new requests, lets those in flight finish (at most <see cref="LocalStack.DrainTimeout"/>;
/// a second Ctrl-C aborts them), and stops Azurite so that it saves. One at a time per data folder.
/// </summary>
public static class UpCommand
{
    public static Command Create(CliContext context)
    {
        var port = CliOptions.Int(
            "--port",
            "the port of the functions on 127.0.0.1",
            fallback: 7071,
            min: 1,
            max: 65535
        );
        var command = new Command("up", "run Azurite and the functions on http://127.0.0.1:7071 until Ctrl-C") { port };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(port), context, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int port, CliContext context, CancellationToken cancellationToken)
    {
        var (console, root) = (context.Console, Repo.Root);
        var data = Path.Combine(root, ".pvp", "azurite");
        if (Refusal(data, port) is { } refusal)
        {
            console.Error.WriteLine($"pvp up: {refusal}");
            return 1;
        }
        var url = $"http://127.0.0.1:{port}";
        // Azurite's usual ports when they are free, so Storage Explorer finds it; other free ports when not.
        var ports = new[] { 10000, 10001, 10002 }.All(Azurite.IsFree) ? (10000, 10001, 10002) : ((int, int, int)?)null;
        await using var stack = await LocalStack.StartAsync(
            root,
            data,
            ports,
            url,
            // Links in e-mails point at this host, whatever port it got.
            new Dictionary<string, string?>
            {
                ["Clinic:PublicBaseUrl"] = url + "/api",
                // One machine: the dashboard's one-time sign-in links (docs/coordination.md, "Dashboard").
                [DashboardOptions.Section + ":" + nameof(DashboardOptions.LocalSignIn)] = "true",
            },
            console.Error,
            cancellationToken
        );
        PrintKeys(stack, url, console.Out);
        console.Out.WriteLine($"  dashboard:       {await DashboardLink.MakeAsync(stack, url, cancellationToken)}");
        console.Out.WriteLine("                   (press Enter for a new sign-in link)");
        console.Out.Flush();
        var stop = Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        await DashboardLink.ServeAsync(stack, url, console, stop, cancellationToken);
        var inFlight = stack.RequestsInFlight;
        console.Out.WriteLine(
            inFlight == 0
                ? "Stopping…"
                : $"Stopping: new requests are refused; waiting for {inFlight} in flight to finish (at most "
                    + $"{LocalStack.DrainTimeout.TotalSeconds:N0} s, Ctrl-C again to abort them)…"
        );
        await stack.StopAsync(context.StopNow);
        console.Out.WriteLine($"Stopped. Azurite saved its data in {Path.GetRelativePath(root, data)}.");
        return 0;
    }

    /// <summary>Why up may not start; the data folder first, so that a second up on another port hears why.</summary>
    private static string? Refusal(string data, int port) =>
        DataFolderLock.IsHeld(data) ? DataFolderLock.InUseMessage(data)
        : !Azurite.IsFree(port) ? $"port {port} is not free. Choose another with --port N."
        : null;

    private static void PrintKeys(LocalStack stack, string url, TextWriter o)
    {
        o.WriteLine($"PvpServerless is running at {url}  (Ctrl-C stops it)");
        o.WriteLine($"  storage:         {stack.StorageConnectionString}");
        foreach (var (name, key) in stack.FunctionKeys)
            o.WriteLine($"  {name + " key:",-17}{key}   (header x-functions-key, or ?code=)");
        o.WriteLine($"  master key:      {stack.MasterKey}   (POST {url}/admin/functions/{{name}})");
        o.WriteLine(
            $"  outbox:          {url}/api/outbox?code={stack.MasterKey}   (e-mails are stored there, not sent: "
                + "Email:Transport = Outbox; blob container 'outbox')"
        );
        o.WriteLine(
            $"  try:             curl -H 'x-functions-key: {stack.FunctionKeys.GetValueOrDefault("coordinator")}' "
                + $"{url}/api/patients"
        );
        o.Flush();
    }
}
