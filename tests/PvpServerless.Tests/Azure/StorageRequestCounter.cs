using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// Counts the requests the SDK clients send, each retry included: on Azure every one of them is a billed storage
/// transaction. Added to every client through Microsoft.Extensions.Azure's ConfigureDefaults.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<(string Method, Uri Uri)> _requests = new();

    public IReadOnlyList<(string Method, Uri Uri)> Requests => [.. _requests];

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue((message.Request.Method.ToString(), message.Request.Uri.ToUri()));

    public void Clear() => _requests.Clear();

    /// <summary>Requests to the given port (Azurite gives each service a port of its own).</summary>
    public int To(int port) => _requests.Count(r => r.Uri.Port == port);
}
