using System.Net;
using Azure;
using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Storage;

namespace PvpServerless.Email;

/// <summary>What a survey link opens: one wave of one patient, until the window closes.</summary>
public sealed record SurveyGrant(string StudyId, Wave Wave, DateOnly ClosesOn);

/// <summary>A stored token: its grant, when it was issued and, once revoked, when.</summary>
public sealed record SurveyTokenRecord(
    string Hash,
    string StudyId,
    Wave Wave,
    DateOnly ClosesOn,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt
)
{
    /// <summary>
    /// Usable on that clinic date: not revoked and the window not yet closed (the closing day included).
    /// </summary>
    public bool IsOpenOn(DateOnly clinicDate) => RevokedAt is null && clinicDate <= ClosesOn;
}

/// <summary>
/// The <c>Tokens</c> table: PartitionKey = SHA-256 hex of the token, RowKey = <c>token</c>. The token text is never
/// written anywhere (docs/storage.md).
/// </summary>
public sealed class TokenStore(PvpStorage storage, TimeProvider time)
{
    private const string Row = "token";

    /// <summary>A new random token for <paramref name="grant"/>, stored by its hash.</summary>
    public async Task<SurveyToken> IssueAsync(SurveyGrant grant, CancellationToken cancellationToken)
    {
        var token = SurveyToken.New();
        await CreateAsync(token, grant, cancellationToken);
        return token;
    }

    /// <summary>
    /// Stores <paramref name="token"/>'s hash; insert only: an existing hash is an error, never replaced.
    /// </summary>
    public async Task CreateAsync(SurveyToken token, SurveyGrant grant, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(grant.StudyId);
        var entity = new TableEntity(token.Hash, Row)
        {
            ["StudyId"] = grant.StudyId,
            ["Wave"] = grant.Wave.Code(),
            ["ClosesOn"] = Codes.Format(grant.ClosesOn),
            ["CreatedAt"] = time.GetUtcNow(),
        };
        try
        {
            await storage.Tokens.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException(
                $"A survey token with hash {token.Hash[..8]}… already exists; tokens are never reused.",
                e
            );
        }
    }

    /// <summary>
    /// The grant behind a token from a URL; null when the text is not a well-formed token or is unknown.
    /// </summary>
    public async Task<SurveyTokenRecord?> FindAsync(string? tokenText, CancellationToken cancellationToken)
    {
        if (!SurveyToken.TryParse(tokenText, out var token))
            return null;
        var entity = await GetAsync(token.Hash, cancellationToken);
        return entity is null ? null : ToRecord(entity);
    }

    /// <summary>
    /// Marks the token revoked (kept, so a late click can be told apart from a wrong link). True when the token exists;
    /// revoking twice keeps the first time.
    /// </summary>
    public async Task<bool> RevokeAsync(string tokenHash, CancellationToken cancellationToken)
    {
        if (!IsHash(tokenHash))
            return false;
        for (var attempt = 0; ; attempt++)
        {
            var entity = await GetAsync(tokenHash, cancellationToken);
            if (entity is null)
                return false;
            if (entity.GetDateTimeOffset("RevokedAt") is not null)
                return true;
            try
            {
                var change = new TableEntity(tokenHash, Row) { ["RevokedAt"] = time.GetUtcNow() };
                await storage.Tokens.UpdateEntityAsync(change, entity.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 3)
            {
                // Changed between our read and write (another revocation): read again.
            }
        }
    }

    /// <summary>
    /// Moves the last day a token works with its wave's window (a coordinator changed the window,
    /// docs/coordination.md), so the links already e-mailed work exactly as long as the window is open. False when no
    /// such token exists.
    /// </summary>
    public async Task<bool> SetClosesOnAsync(string tokenHash, DateOnly closesOn, CancellationToken cancellationToken)
    {
        if (!IsHash(tokenHash))
            return false;
        for (var attempt = 0; ; attempt++)
        {
            var entity = await GetAsync(tokenHash, cancellationToken);
            if (entity is null)
                return false;
            if (entity.GetString("ClosesOn") == Codes.Format(closesOn))
                return true;
            try
            {
                var change = new TableEntity(tokenHash, Row) { ["ClosesOn"] = Codes.Format(closesOn) };
                await storage.Tokens.UpdateEntityAsync(change, entity.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 3)
            {
                // Changed between our read and write (a revocation): read again.
            }
        }
    }

    private async Task<TableEntity?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        var response = await storage.Tokens.GetEntityIfExistsAsync<TableEntity>(
            hash,
            Row,
            cancellationToken: cancellationToken
        );
        return response.HasValue ? response.Value : null;
    }

    private static SurveyTokenRecord ToRecord(TableEntity e)
    {
        if (
            !Waves.TryParse(e.GetString("Wave"), out var wave)
            || !Codes.TryParseDate(e.GetString("ClosesOn"), out var closesOn)
            || e.GetString("StudyId") is not { Length: > 0 } studyId
        )
        {
            throw new InvalidOperationException($"Token row {e.PartitionKey[..8]}… is incomplete.");
        }
        return new SurveyTokenRecord(
            e.PartitionKey,
            studyId,
            wave,
            closesOn,
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("RevokedAt")
        );
    }

    private static bool IsHash(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);
}
