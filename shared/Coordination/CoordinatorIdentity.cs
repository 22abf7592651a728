using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PvpServerless.Patients;

namespace PvpServerless.Coordination;

/// <summary>Who is acting, or why the request's identity headers are refused (400 naming the header).</summary>
public abstract record IdentityResult
{
    public sealed record Known(Actor Actor) : IdentityResult;

    public sealed record Refused(string Header, string Message) : IdentityResult;
}

/// <summary>
/// Names the person behind a coordinator request for the audit log (docs/coordination.md, "Who did it"). Behind App
/// Service Authentication the platform says who is signed in (<c>X-MS-CLIENT-PRINCIPAL</c>, base64 JSON of the
/// claims, and <c>X-MS-CLIENT-PRINCIPAL-NAME</c>/<c>-ID</c>; a client cannot set them there); that identity wins
/// and <c>X-Pvp-User</c> is ignored. Without one (a key alone, one machine), <c>X-Pvp-User</c> may give initials:
/// 2–8 letters, never an e-mail address. No e-mail address is ever written: a name shaped like one keeps its part
/// before the '@'.
/// </summary>
public static partial class CoordinatorIdentity
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string UserHeader = "X-Pvp-User";

    /// <summary>The longest name kept from a platform identity.</summary>
    public const int MaxNameLength = 64;

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    [GeneratedRegex(@"^\p{L}{2,8}$", RegexOptions.CultureInvariant)]
    private static partial Regex Initials();

    /// <param name="role">The key's role, e.g. coordinator.</param>
    /// <param name="header">The request's header of that name, or null when absent or empty.</param>
    public static IdentityResult Resolve(string role, Func<string, string?> header)
    {
        var principal = header(PrincipalHeader);
        var principalName = header(PrincipalNameHeader);
        var principalId = header(PrincipalIdHeader);
        if (principal is not null || principalName is not null || principalId is not null)
        {
            var claims = principal is null ? new Claims([], null) : ReadClaims(principal);
            if (claims is null)
                return new IdentityResult.Refused(PrincipalHeader, "Not the platform's base64 JSON of claims.");
            var person = PersonOf(claims, principalName, principalId);
            return person is null
                ? new IdentityResult.Refused(PrincipalHeader, "The signed-in identity carries no name or id.")
                : new IdentityResult.Known(new Actor(role, person));
        }
        var user = header(UserHeader)?.Trim();
        if (string.IsNullOrEmpty(user))
            return new IdentityResult.Known(new Actor(role));
        if (!Initials().IsMatch(user))
        {
            return new IdentityResult.Refused(
                UserHeader,
                user.Contains('@', StringComparison.Ordinal)
                    ? "Initials only (2–8 letters, e.g. AB), never an e-mail address."
                    : "Initials only: 2–8 letters, e.g. AB."
            );
        }
        return new IdentityResult.Known(new Actor(role, user));
    }

    private sealed record Claims(IReadOnlyList<(string Type, string Value)> Items, string? NameType)
    {
        public string? Of(params string[] types) =>
            Items.FirstOrDefault(c => types.Contains(c.Type, StringComparer.OrdinalIgnoreCase)).Value is { } v
            && v.Trim().Length > 0
                ? v.Trim()
                : null;
    }

    /// <summary>
    /// The display name (claim <c>name</c>), else the name claim the platform names (<c>name_typ</c>), the name
    /// header or <c>preferred_username</c> (before any '@'), else the object id.
    /// </summary>
    private static string? PersonOf(Claims claims, string? principalName, string? principalId)
    {
        var candidates = new[]
        {
            claims.Of("name"),
            claims.NameType is { } t ? claims.Of(t) : null,
            principalName,
            claims.Of("preferred_username"),
            claims.Of(ObjectIdClaim, "oid"),
            principalId,
        };
        return candidates.Select(Clean).FirstOrDefault(c => c is { Length: > 0 });
    }

    private static string? Clean(string? text)
    {
        if (text is null)
            return null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? text[..at] : text;
        var printable = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return printable.Length > MaxNameLength ? printable[..MaxNameLength] : printable;
    }

    /// <summary>The claims of <c>X-MS-CLIENT-PRINCIPAL</c>, or null when it is not base64 JSON of that shape.</summary>
    private static Claims? ReadClaims(string header)
    {
        if (header.Length > 16 * 1024)
            return null;
        var buffer = new byte[header.Length];
        var base64 = header.Trim().Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        if (!Convert.TryFromBase64String(base64, buffer, out var length))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, length));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            var items = new List<(string, string)>();
            if (root.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var c in list.EnumerateArray())
                {
                    if (
                        c.ValueKind == JsonValueKind.Object
                        && c.TryGetProperty("typ", out var typ)
                        && c.TryGetProperty("val", out var val)
                        && typ.ValueKind == JsonValueKind.String
                        && val.ValueKind == JsonValueKind.String
                    )
                        items.Add((typ.GetString()!, val.GetString()!));
                }
            }
            var nameType =
                root.TryGetProperty("name_typ", out var n) && n.ValueKind == JsonValueKind.String
                    ? n.GetString()
                    : null;
            return new Claims(items, nameType);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
