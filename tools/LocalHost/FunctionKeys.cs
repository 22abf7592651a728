using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace PvpServerless.LocalHost;

/// <summary>The Functions host's key check: <c>x-functions-key</c> header or <c>?code=</c>.</summary>
public sealed class FunctionKeys(LocalHostOptions options)
{
    /// <summary>
    /// Master key: everything. Host keys: every Function-level route. Function keys: their own function.
    /// </summary>
    public bool Allows(HttpRequest request, AuthorizationLevel level, string functionName)
    {
        if (level == AuthorizationLevel.Anonymous)
            return true;
        var given = Given(request);
        if (given.Length == 0)
            return false;
        if (Same(given, options.MasterKey))
            return true;
        if (level is not (AuthorizationLevel.Function or AuthorizationLevel.User))
            return false;
        IEnumerable<string> own = options.Functions.TryGetValue(functionName, out var set) ? set.Keys.Values : [];
        return options.FunctionKeys.Values.Concat(own).Any(k => Same(given, k));
    }

    public bool IsMaster(HttpRequest request)
    {
        var given = Given(request);
        return given.Length > 0 && Same(given, options.MasterKey);
    }

    private static string Given(HttpRequest request)
    {
        var given = request.Headers["x-functions-key"].ToString();
        return given.Length > 0 ? given : request.Query["code"].ToString();
    }

    private static bool Same(string a, string b) =>
        b.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
