using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using PvpServerless.Domain;
using PvpServerless.Patients;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// A survey link opens the patient's questionnaire, so its token exists only in the e-mail: storage holds its hash
/// (and the nonce it is derived from with the server's key), never the token text. The address stays in Contacts.
/// </summary>
public sealed class TokenStorageTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day0 = new(2025, 2, 3);

    [Fact]
    public async Task No_table_holds_a_sent_links_token_and_the_tokens_table_holds_its_hash()
    {
        await using var world = await FollowUpWorld.StartAsync(azurite, Day0, Ct);
        var id = await world.EnrolAsync(procedureDate: Day0, Ct);
        foreach (var day in new[] { 0, 7, 14, 15 })
            await world.DayAsync(Day0.AddDays(day), Ct);
        var emails = world.Emails;
        Assert.Equal(3, emails.Count);
        var token = Assert.Single(emails.Select(e => e.Token).Distinct());

        var rows = await RowsAsync(world, Ct);

        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, r => r.Text.Contains(token, StringComparison.Ordinal));
        // Not even hidden by case or by URL-safe base64's other spelling.
        var standard = token.Replace('-', '+').Replace('_', '/');
        Assert.DoesNotContain(
            rows,
            r =>
                r.Text.Contains(token, StringComparison.OrdinalIgnoreCase)
                || r.Text.Contains(standard, StringComparison.Ordinal)
        );
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        Assert.Contains(rows, r => r.Table == world.Storage.Tokens.Name && r.Key == $"{hash}/token");
        // The scan did read the patient's partition (the wave row, with its nonce).
        var wave = Assert.Single(
            rows,
            r => r.Table == world.Storage.Patients.Name && r.Key == $"{StudyIds.Key(id)}/wave|baseline"
        );
        Assert.Contains("TokenNonce=", wave.Text, StringComparison.Ordinal);
        // The address: only in the contacts table.
        Assert.All(
            rows.Where(r => r.Text.Contains(FollowUpWorld.Address(id), StringComparison.OrdinalIgnoreCase)),
            r => Assert.Equal(world.Storage.Contacts.Name, r.Table)
        );
    }

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private sealed record StoredRow(string Table, string Key, string Text);

    /// <summary>Every row of every table of this world, as one line of text per row (keys and all values).</summary>
    private static async Task<List<StoredRow>> RowsAsync(FollowUpWorld world, CancellationToken cancellationToken)
    {
        var service = new TableServiceClient(world.ConnectionString);
        var rows = new List<StoredRow>();
        await foreach (var table in service.QueryAsync(cancellationToken: cancellationToken))
        {
            if (!table.Name.StartsWith(world.Storage.NamePrefix, StringComparison.Ordinal))
                continue;
            var client = service.GetTableClient(table.Name);
            await foreach (var e in client.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                var text = string.Join("\n", e.Select(p => $"{p.Key}={Convert.ToString(p.Value, Invariant)}"));
                rows.Add(new StoredRow(table.Name, $"{e.PartitionKey}/{e.RowKey}", text));
            }
        }
        return rows;
    }
}
