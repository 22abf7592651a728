using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Email;

/// <summary>The Tokens table over the test run's Azurite: only hashes are stored.</summary>
public sealed class TokenStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly PvpStorage _storage = new(
        Options.Create(
            new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = azurite.NewPrefix() }
        )
    );
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 30, 6, 0, 0, TimeSpan.Zero));

    private TokenStore Store => new(_storage, _clock);

    private static readonly SurveyGrant Grant = new("PVP-0042", Wave.ThreeMonths, new DateOnly(2025, 7, 14));

    public async ValueTask InitializeAsync() => await _storage.EnsureCreatedAsync(Ct);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task An_issued_token_is_found_by_its_text_and_gives_its_grant()
    {
        var token = await Store.IssueAsync(Grant, Ct);

        var found = await Store.FindAsync(token.Value, Ct);

        Assert.NotNull(found);
        Assert.Equal(
            (Grant.StudyId, Grant.Wave, Grant.ClosesOn, _clock.GetUtcNow(), (DateTimeOffset?)null),
            (found.StudyId, found.Wave, found.ClosesOn, found.CreatedAt, found.RevokedAt)
        );
        Assert.True(found.IsOpenOn(new DateOnly(2025, 7, 14)));
        Assert.False(found.IsOpenOn(new DateOnly(2025, 7, 15)));
    }

    [Fact]
    public async Task Only_the_sha256_of_the_token_is_stored_never_the_token()
    {
        var token = await Store.IssueAsync(Grant, Ct);

        var rows = await _storage.Tokens.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);

        var row = Assert.Single(rows);
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token.Value)));
        Assert.Equal((expectedHash, "token"), (row.PartitionKey, row.RowKey));
        foreach (var (name, value) in row)
        {
            Assert.DoesNotContain(token.Value, name, StringComparison.Ordinal);
            Assert.DoesNotContain(
                token.Value,
                Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                StringComparison.Ordinal
            );
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // padded
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // standard base64 alphabet
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // not canonical: B leaves a stray bit
    [InlineData("../../../../../../../../../../../../../etc/")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well-formed, never issued
    public async Task An_unknown_or_malformed_token_is_null(string? text) =>
        Assert.Null(await Store.FindAsync(text, Ct));

    [Fact]
    public async Task A_token_that_differs_in_one_character_is_unknown()
    {
        var token = await Store.IssueAsync(Grant, Ct);
        var other = (token.Value[0] == 'A' ? "B" : "A") + token.Value[1..];

        Assert.Null(await Store.FindAsync(other, Ct));
    }

    [Fact]
    public async Task A_hash_collision_is_an_error_never_an_overwrite()
    {
        var token = await Store.IssueAsync(Grant, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.CreateAsync(token, Grant with { StudyId = "PVP-0099" }, Ct)
        );
        Assert.Equal("PVP-0042", (await Store.FindAsync(token.Value, Ct))!.StudyId);
    }

    [Fact]
    public async Task A_revoked_token_is_still_found_but_no_longer_open()
    {
        var token = await Store.IssueAsync(Grant, Ct);
        _clock.Advance(TimeSpan.FromDays(2));

        Assert.True(await Store.RevokeAsync(token.Hash, Ct));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await Store.RevokeAsync(token.Hash, Ct)); // again: keeps the first time

        var found = await Store.FindAsync(token.Value, Ct);
        Assert.Equal(new DateTimeOffset(2025, 7, 2, 6, 0, 0, TimeSpan.Zero), found!.RevokedAt);
        Assert.False(found.IsOpenOn(new DateOnly(2025, 7, 3)));
    }

    [Theory]
    [InlineData("0f007385b6f9d4b7eeb2748605afe1a984a0a3bfa3f014d09e2a784ce9e5cd1a")] // well-formed, not stored
    [InlineData("not-a-hash")]
    [InlineData("0F007385B6F9D4B7EEB2748605AFE1A984A0A3BFA3F014D09E2A784CE9E5CD1A")]
    public async Task Revoking_an_unknown_hash_is_false(string hash) => Assert.False(await Store.RevokeAsync(hash, Ct));
}
