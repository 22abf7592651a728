using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Privacy;

namespace PvpServerless.Tests.Security;

/// <summary>
/// Survey tokens are never stored in clear (docs/survey.md, "Tokens and timing"): after a whole demo run
/// (<see cref="DemoRun"/>), every table row, blob and queue message of the app's storage is searched for every token
/// its e-mails carried, as text, as the bytes it encodes (base64, hex) and URL-encoded. The outbox container is left
/// out: it is the patients' mailbox on one machine (Email:Transport = Outbox), where the link has to be. Each
/// token's SHA-256, which is what the Tokens table keeps, must be found: the search read the right storage.
/// </summary>
[Collection(DemoRunCollection.Name)]
public sealed class StoredTokenTests(DemoRun run, AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_table_blob_or_queue_message_holds_a_token_the_run_issued_only_its_hash()
    {
        var prefix = run.Storage.NamePrefix;
        var outbox = run.Storage.Outbox.Name;
        var items = await StorageContents.ReadAsync(azurite.ConnectionString, prefix, c => c == outbox, Ct);

        Assert.True(run.Tokens.Count >= 40, $"{run.Tokens.Count} tokens");
        var forms = run.Tokens.SelectMany(FormsOf).Distinct().ToList();
        var any = new Regex(
            string.Join("|", forms.Select(Regex.Escape)),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
        );
        var leaks = items
            .Select(i => (i.Where, Match: any.Match(i.Text)))
            .Where(m => m.Match.Success)
            .Select(m => $"{m.Where}: \"{m.Match.Value}\"")
            .ToList();

        var hashes = run
            .Tokens.Select(t => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(t))))
            .ToList();
        var stored = string.Join("\n", items.Select(i => i.Text));
        var unhashed = hashes.Where(h => !stored.Contains(h, StringComparison.Ordinal)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{items.Count} rows, blobs and messages under '{prefix}' ({stored.Length / 1000:N0} kB) searched for "
                + $"{run.Tokens.Count} tokens in {forms.Count} forms; tables: "
                + string.Join(", ", items.Select(i => i.Where.Split(' ')[1].Split('/')[0]).Distinct())
        );
        Assert.True(leaks.Count == 0, $"{leaks.Count} tokens in storage:\n" + string.Join("\n", leaks.Take(20)));
        Assert.True(unhashed.Count == 0, $"{unhashed.Count} tokens whose hash is not stored: the wrong storage?");
    }

    /// <summary>The token as the link carries it, URL-encoded, and the 32 bytes it encodes as base64 and hex.</summary>
    private static IEnumerable<string> FormsOf(string token)
    {
        yield return token;
        yield return Uri.EscapeDataString(token);
        if (token.Length != 43)
            yield break;
        var bytes = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=");
        yield return Convert.ToBase64String(bytes);
        yield return Convert.ToHexString(bytes);
    }
}
