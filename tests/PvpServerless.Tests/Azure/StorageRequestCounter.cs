using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>Table, blob and queue requests of one operation: each one a billed storage transaction on Azure.</summary>
public sealed record Transactions(int Table, int Blob, int Queue)
{
    public static readonly Transactions None = new(0, 0, 0);

    public int Total => Table + Blob + Queue;

    public static Transactions operator -(Transactions a, Transactions b) =>
        new(a.Table - b.Table, a.Blob - b.Blob, a.Queue - b.Queue);

    /// <summary>
    /// At most half as many again as <paramref name="documented"/> of each kind (none where it documents none): room
    /// for a small change, never for one that multiplies requests or adds a service.
    /// </summary>
    public bool Within(Transactions documented) =>
        Table <= Loose(documented.Table) && Blob <= Loose(documented.Blob) && Queue <= Loose(documented.Queue);

    private static int Loose(int documented) => (documented * 3 + 1) / 2;

    public override string ToString() => $"{Table} table, {Blob} blob, {Queue} queue";
}

/// <summary>
/// Counts the requests the SDK clients send, each retry included: on Azure every one of them is a billed storage
/// transaction. Added to every client through Microsoft.Extensions.Azure's ConfigureDefaults.
/// </summary>
public sealed partial class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<(string Method, Uri Uri)> _requests = new();

    public IReadOnlyList<(string Method, Uri Uri)> Requests => [.. _requests];

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue((message.Request.Method.ToString(), message.Request.Uri.ToUri()));

    public void Clear() => _requests.Clear();

    /// <summary>Requests to the given port (Azurite gives each service a port of its own).</summary>
    public int To(int port) => _requests.Count(r => r.Uri.Port == port);

    /// <summary>What <paramref name="operation"/> sends to the Azurite of <paramref name="connection"/>.</summary>
    public async Task<Transactions> CountAsync(string connection, Func<Task> operation)
    {
        Clear();
        await operation();
        var ports = ConnectionPorts()
            .Matches(connection)
            .ToDictionary(
                m => m.Groups["service"].Value,
                m => int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)
            );
        return new Transactions(To(ports["Table"]), To(ports["Blob"]), To(ports["Queue"]));
    }

    /// <summary>
    /// The rows "| `operation` | what | table | blob | queue |" of docs/deploy.md: what each operation sends.
    /// </summary>
    public static Dictionary<string, Transactions> Documented() =>
        DocumentedRow()
            .Matches(File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "docs", "deploy.md")))
            .ToDictionary(
                m => m.Groups["operation"].Value,
                m => new Transactions(
                    int.Parse(m.Groups["table"].Value, CultureInfo.InvariantCulture),
                    int.Parse(m.Groups["blob"].Value, CultureInfo.InvariantCulture),
                    int.Parse(m.Groups["queue"].Value, CultureInfo.InvariantCulture)
                )
            );

    /// <summary>
    /// Each measured operation within its documented figure, loosely (<see cref="Transactions.Within"/>): a change
    /// that multiplies requests fails here and says which row of docs/deploy.md (and so which cost) to update.
    /// </summary>
    public static IEnumerable<string> BeyondTheDocumentedBounds(IReadOnlyDictionary<string, Transactions> measured)
    {
        var documented = Documented();
        foreach (var (operation, count) in measured)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{operation,-22} {count}");
            if (!documented.TryGetValue(operation, out var bound))
                yield return $"{operation}: measured {count}; docs/deploy.md has no row for it";
            else if (!count.Within(bound))
                yield return $"{operation}: measured {count}, far more than docs/deploy.md's {bound}: update "
                    + "its table and the cost estimate";
        }
    }

    [GeneratedRegex(@"(?<service>Blob|Queue|Table)Endpoint=http://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex ConnectionPorts();

    [GeneratedRegex(
        @"^\| `(?<operation>[a-z0-9-]+)` \|[^|]*\| (?<table>\d+) \| (?<blob>\d+) \| (?<queue>\d+) \|",
        RegexOptions.Multiline
    )]
    private static partial Regex DocumentedRow();
}
