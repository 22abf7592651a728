using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// Stands in for Entra ID at the edge of the world: hands out the kind of access token a managed identity gets
/// (issuer sts.windows.net, audience storage, an object and a tenant id). Azurite's "--oauth basic" checks these claims
/// and the lifetime, not the signature. Records the scopes it was asked for.
/// </summary>
public sealed class FakeEntraCredential(TimeProvider clock) : TokenCredential
{
    public const string ObjectId = "8f4b6a3e-2c1d-4e5f-9a8b-7c6d5e4f3a2b";
    public const string TenantId = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d";

    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyCollection<string> Scopes => [.. _scopes.Distinct()];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            _scopes.Enqueue(scope);
        }
        var now = clock.GetUtcNow();
        var expires = now.AddHours(1);
        var claims = new Dictionary<string, object>
        {
            ["aud"] = "https://storage.azure.com",
            ["iss"] = $"https://sts.windows.net/{TenantId}/",
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["oid"] = ObjectId,
            ["tid"] = TenantId,
        };
        var token = $"{Encode(new { alg = "none", typ = "JWT" })}.{Encode(claims)}.unsigned";
        return new AccessToken(token, expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(
        TokenRequestContext requestContext,
        CancellationToken cancellationToken
    ) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Encode(object value) =>
        Convert
            .ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value))
            .TrimEnd('=')
            .Replace('+', '-')
            .Replace('/', '_');
}
