using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Email;

/// <summary>The Outbox transport and reader over the test run's Azurite.</summary>
public sealed class OutboxTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Start = new(2025, 6, 30, 6, 0, 0, TimeSpan.Zero);

    private readonly PvpStorage _storage = new(
        Options.Create(
            new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = azurite.NewPrefix() }
        )
    );
    private readonly FakeTimeProvider _clock = new(Start);

    private OutboxTransport Transport => new(_storage, _clock, Options.Create(new EmailOptions()));

    public async ValueTask InitializeAsync() => await _storage.EnsureCreatedAsync(Ct);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Each_email_is_one_json_blob_with_everything_a_person_checking_it_needs()
    {
        var email = EmailSamples.Email(kind: EmailKind.ReminderNumber(2), wave: Wave.OneYear);

        var sent = Assert.IsType<SendResult.Sent>(await Transport.SendAsync(email, Ct));

        var blob = Assert.Single(await _storage.Outbox.GetBlobsAsync(cancellationToken: Ct).ToListAsync(Ct));
        Assert.Equal(sent.MessageId + ".json", blob.Name);
        Assert.EndsWith("-" + email.EmailId + ".json", blob.Name, StringComparison.Ordinal);
        var json = JsonNode.Parse(
            (await _storage.Outbox.GetBlobClient(blob.Name).DownloadContentAsync(Ct)).Value.Content
        )!;
        Assert.Equal(EmailSamples.To, (string?)json["to"]);
        Assert.Equal(email.Content.Subject, (string?)json["subject"]);
        Assert.Equal("reminder2", (string?)json["kind"]);
        Assert.Equal("1y", (string?)json["wave"]);
        Assert.Equal("da", (string?)json["language"]);
        Assert.Equal(email.Content.Links.Select(l => l.AbsoluteUri), json["links"]!.AsArray().Select(l => (string)l!));
        Assert.Equal(
            Start,
            DateTimeOffset.Parse((string)json["queuedAt"]!, System.Globalization.CultureInfo.InvariantCulture)
        );
        Assert.Equal(email.Content.Text, (string?)json["text"]);
        Assert.Equal(email.Content.Html, (string?)json["html"]);
    }

    [Fact]
    public async Task The_list_is_newest_first_and_get_reads_one()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var email = EmailSamples.Email(emailId: $"email-{i:D4}");
            ids.Add(((SendResult.Sent)await Transport.SendAsync(email, Ct)).MessageId);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        var reader = new OutboxReader(_storage);

        var newest = await reader.ListAsync(3, Ct);

        Assert.Equal(["email-0004", "email-0003", "email-0002"], newest.Select(m => m.EmailId));
        Assert.Equal(Start.AddMinutes(4), newest[0].QueuedAt);
        var one = await reader.GetAsync(ids[1], Ct);
        Assert.Equal(("email-0001", Start.AddMinutes(1)), (one!.EmailId, one.QueuedAt));
        Assert.Equal(5, (await reader.ListAsync(OutboxReader.MaxTake, Ct)).Count);
    }

    [Theory]
    [InlineData("9223372036854775807-nothere1")]
    [InlineData("../reports/latest")]
    [InlineData("")]
    public async Task An_unknown_or_malformed_id_is_null(string id) =>
        Assert.Null(await new OutboxReader(_storage).GetAsync(id, Ct));

    [Fact]
    public async Task Emails_sent_within_the_same_tick_are_all_kept()
    {
        var first = await Transport.SendAsync(EmailSamples.Email(emailId: "same-tick-1"), Ct);
        var second = await Transport.SendAsync(EmailSamples.Email(emailId: "same-tick-2"), Ct);

        Assert.NotEqual(first, second);
        Assert.Equal(2, (await new OutboxReader(_storage).ListAsync(10, Ct)).Count);
    }
}
