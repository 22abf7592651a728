namespace PvpServerless.Cli.Commands;

/// <summary><c>./pvp up</c>: Azurite (data under .pvp/azurite) and the local Functions host on 127.0.0.1:7071, until Ctrl-C.</summary>
public sealed class UpCommand : ICliCommand
{
    public string Name => "up";

    public string Summary => "start Azurite and the functions on http://127.0.0.1:7071 (--port N); Ctrl-C stops both";

    public async Task<int> RunAsync(CliArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        var port = args.Option("port", "7071");
        if (!int.TryParse(port, out var portNumber) || !LocalHost.Azurite.IsFree(portNumber))
        {
            console.Error.WriteLine(
                $"pvp up: port {port} is not free (is ./pvp up already running?). Choose another with --port N."
            );
            return 2;
        }
        var root = Repo.Root;
        var url = $"http://127.0.0.1:{port}";
        // Azurite's usual ports when they are free, so Storage Explorer finds it; other free ports when not.
        var ports = new[] { 10000, 10001, 10002 }.All(LocalHost.Azurite.IsFree)
            ? (10000, 10001, 10002)
            : ((int, int, int)?)null;
        await using var stack = await LocalStack.StartAsync(
            root,
            Path.Combine(root, ".pvp", "azurite"),
            ports,
            url,
            new Dictionary<string, string?>(),
            console.Error,
            cancellationToken
        );
        console.Out.WriteLine($"PvpServerless is running at {url}  (Ctrl-C stops it)");
        console.Out.WriteLine($"  storage:         {stack.StorageConnectionString}");
        foreach (var (name, key) in stack.FunctionKeys)
            console.Out.WriteLine($"  {name + " key:",-17}{key}   (header x-functions-key, or ?code=)");
        console.Out.WriteLine($"  master key:      {stack.MasterKey}   (POST {url}/admin/functions/{{name}})");
        console.Out.WriteLine(
            $"  try:             curl -H 'x-functions-key: {stack.FunctionKeys.GetValueOrDefault("coordinator")}' {url}/api/patients"
        );
        console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            console.Out.WriteLine("Stopping…");
        }
        return 0;
    }
}
