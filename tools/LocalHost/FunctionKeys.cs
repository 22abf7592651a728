using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace PvpServerless.LocalHost;

/// <summary>The Functions host's key check: <c>x-functions-key</c> header or <c>?code=</c>.</summary>
public sealed class FunctionKeys(LocalHostOptions options)
{
    public bool Allows(HttpRequest request, AuthorizationLevel level)
    {
        if (level == AuthorizationLevel.Anonymous) return true;
        var given = request.Headers["x-functions-key"].ToString();
        if (given.Length == 0) given = request.Query["code"].ToString();
        if (given.Length == 0) return false;
        if (Same(given, options.MasterKey)) return true;
        return level is AuthorizationLevel.Function or AuthorizationLevel.User && options.FunctionKeys.Values.Any(k => Same(given, k));
    }

    public bool IsMaster(HttpRequest request)
    {
        var given = request.Headers["x-functions-key"].ToString();
        if (given.Length == 0) given = request.Query["code"].ToString();
        return given.Length > 0 && Same(given, options.MasterKey);
    }

    private static bool Same(string a, string b) =>
        b.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
