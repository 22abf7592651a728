using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.FollowUp;
using PvpServerless.Storage;

namespace PvpServerless.Dashboard;

/// <summary>
/// One-time sign-in links for the dashboard on one machine: a random ticket, of which only the SHA-256 hash is
/// stored (table <c>Tokens</c>, row <c>dashboard-sign-in</c> beside the survey tokens' rows, which it never
/// matches), valid for <see cref="DashboardRoutes.TicketLifetime"/> and used once: redeeming deletes the row under
/// its ETag, so of two redeems only one wins.
/// </summary>
public sealed class SignInTickets(PvpStorage storage, TimeProvider clock)
{
    public const string Row = "dashboard-sign-in";

    /// <summary>A new ticket; the address to open is <c>{base}/api/dashboard/sign-in?ticket={ticket}</c>.</summary>
    public async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        var ticket = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var entity = new TableEntity(HashOf(ticket), Row)
        {
            ["ExpiresAt"] = clock.GetUtcNow() + DashboardRoutes.TicketLifetime,
        };
        await storage.Tokens.AddEntityAsync(entity, cancellationToken);
        return ticket;
    }

    /// <summary>Whether the ticket is one of ours, unused and not expired; reads only.</summary>
    public async Task<bool> IsValidAsync(string? ticket, CancellationToken cancellationToken) =>
        await ReadAsync(ticket, cancellationToken) is not null;

    /// <summary>Uses the ticket up: true for the one caller that deletes it while it is valid.</summary>
    public async Task<bool> RedeemAsync(string? ticket, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(ticket, cancellationToken);
        if (row is null)
            return false;
        try
        {
            await storage.Tokens.DeleteEntityAsync(row.PartitionKey, Row, row.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex)
            when (ex.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    private async Task<TableEntity?> ReadAsync(string? ticket, CancellationToken cancellationToken)
    {
        if (ticket is not { Length: 43 } || !ticket.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return null;
        var found = await storage.Tokens.GetEntityIfExistsAsync<TableEntity>(
            HashOf(ticket),
            Row,
            cancellationToken: cancellationToken
        );
        return found.HasValue && found.Value!.GetDateTimeOffset("ExpiresAt") > clock.GetUtcNow() ? found.Value : null;
    }

    public static string HashOf(string ticket) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(ticket)));
}

/// <summary>
/// The signed-in browser's cookie on one machine: <c>v1|initials|expiry|nonce</c> and its HMAC-SHA256 under
/// <c>FollowUp:TokenKey</c> (with a purpose of its own), so no server state is needed. It also keys the forms'
/// check field (<see cref="CheckOf"/>): only a page rendered for this very session carries it.
/// </summary>
public sealed class SessionCookie(IOptions<FollowUpOptions> options, TimeProvider clock)
{
    public const string Name = "pvp-dashboard";

    private readonly byte[] _key = Convert.FromBase64String(options.Value.TokenKey);

    /// <summary>A new session's cookie value for <paramref name="initials"/> (already validated).</summary>
    public string Issue(string initials)
    {
        var expires = (clock.GetUtcNow() + DashboardRoutes.SessionLifetime).ToUnixTimeSeconds();
        var payload = $"v1|{initials}|{expires}|{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12))}";
        var encoded = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        return encoded + "." + Mac("session|" + encoded);
    }

    /// <summary>The initials of a genuine, unexpired cookie; otherwise null.</summary>
    public string? Read(string? value)
    {
        if (value is not { Length: > 0 and < 512 } || value.Split('.') is not [var encoded, var mac])
            return null;
        if (!FixedEquals(Mac("session|" + encoded), mac))
            return null;
        string payload;
        try
        {
            payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
        if (payload.Split('|') is not ["v1", var initials, var expiry, _] || !long.TryParse(expiry, out var unix))
            return null;
        return DateTimeOffset.FromUnixTimeSeconds(unix) > clock.GetUtcNow() ? initials : null;
    }

    /// <summary>The forms' hidden check for a session (the cookie value, or the platform's user id).</summary>
    public string CheckOf(string binding) => Mac("check|" + binding);

    public bool IsCheckOf(string binding, string? check) => check is not null && FixedEquals(CheckOf(binding), check);

    private string Mac(string text) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
