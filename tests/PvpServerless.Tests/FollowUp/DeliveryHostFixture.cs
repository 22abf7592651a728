using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Email;
using PvpServerless.Storage;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// The local host with a webhook key of its own (the private half stays here, so tests sign as SendGrid does) and a
/// way to get a real e-mail out: enrol through the API, run ScheduleFollowUps, hand each queued message to
/// SendInvitation, read the e-mail back from the outbox.
/// </summary>
public class DeliveryHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    private readonly ECDsa _webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>
        {
            ["Email:WebhookPublicKey"] = Convert.ToBase64String(_webhookKey.ExportSubjectPublicKeyInfo()),
            ["Clinic:Name"] = "Rygklinikken <Test> & Co",
            ["Clinic:Phone"] = "+45 70 20 30 40",
        };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public PvpStorage Storage =>
        new(Options.Create(new StorageOptions { ConnectionString = ConnectionString, NamePrefix = Prefix }));

    public override async ValueTask DisposeAsync()
    {
        _webhookKey.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>SendGrid's headers for <paramref name="body"/>: ECDSA P-256 over timestamp + body (DER).</summary>
    public (string Signature, string Timestamp) Sign(string body, DateTimeOffset at, ECDsa? key = null)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = (key ?? _webhookKey).SignData(
            Encoding.UTF8.GetBytes(timestamp + body),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence
        );
        return (Convert.ToBase64String(signature), timestamp);
    }

    /// <summary>Runs a timer or queue function through the admin route with this input, waiting for it.</summary>
    public async Task RunAsync(string function, string input)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{function}")
        {
            Content = JsonContent.Create(new { input }),
            Headers = { { "x-functions-key", MasterKey }, { "x-pvp-wait", "true" } },
        };
        using var response = await Anonymous.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{function}: {(int)response.StatusCode} {text}");
    }

    /// <summary>
    /// Enrols <paramref name="studyId"/> with its procedure yesterday (so the baseline window is open), lets the
    /// scheduler queue its invitation and the sender send it; the e-mail as the outbox keeps it.
    /// </summary>
    public async Task<OutboxMessage> EnrolAndInviteAsync(string studyId, string language)
    {
        var enrol = await Client.PostAsJsonAsync(
            "/api/patients",
            new
            {
                studyId,
                sex = "F",
                ageAtProcedure = 70,
                primaryMalignancy = "breast",
                diagnosisBasis = "mri",
                procedureDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                levels = new[] { new { level = "L2", posteriorWallDefect = false } },
                complications = Array.Empty<object>(),
                email = $"{studyId.ToLowerInvariant()}@example.dk",
                language,
            },
            Ct
        );
        Assert.True(enrol.IsSuccessStatusCode, await enrol.Content.ReadAsStringAsync(Ct));
        await RunAsync("ScheduleFollowUps", "");
        var queue = Storage.Queues.GetQueueClient(Prefix + "-invitations");
        var messages = await queue.ReceiveMessagesAsync(32, cancellationToken: Ct);
        foreach (var message in messages.Value)
        {
            await RunAsync("SendInvitation", message.MessageText);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
        }
        var sent = await new OutboxReader(Storage).ListAsync(OutboxReader.MaxTake, Ct);
        return sent.Single(m => m.To == $"{studyId.ToLowerInvariant()}@example.dk");
    }

    /// <summary>The token in an e-mail's opt-out link (the link's last segments are <c>{token}/opt-out</c>).</summary>
    public static string TokenOf(OutboxMessage email)
    {
        var link = new Uri(email.Links.Single(l => l.EndsWith("/opt-out", StringComparison.Ordinal)));
        return link.Segments[^2].TrimEnd('/');
    }

    public Task<TableEntity> PatientRowAsync(string studyId) => RowAsync(studyId, "patient");

    public Task<TableEntity> WaveRowAsync(string studyId, string wave) => RowAsync(studyId, "wave|" + wave);

    public async Task<List<TableEntity>> AuditAsync(string studyId) =>
        await Storage
            .Patients.QueryAsync<TableEntity>(
                $"PartitionKey eq '{studyId.ToUpperInvariant()}' and RowKey ge 'audit|' and RowKey lt 'audit}}'",
                cancellationToken: Ct
            )
            .ToListAsync(Ct);

    private async Task<TableEntity> RowAsync(string studyId, string row) =>
        (
            await Storage.Patients.GetEntityAsync<TableEntity>(studyId.ToUpperInvariant(), row, cancellationToken: Ct)
        ).Value;

    /// <summary>Pretty JSON of a response body, for assertion messages.</summary>
    public static string Show(string text)
    {
        try
        {
            var indented = new JsonSerializerOptions { WriteIndented = true };
            return JsonSerializer.Serialize(JsonDocument.Parse(text), indented);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}

/// <summary>The same host set up to send through SendGrid (never reached here): it has no outbox.</summary>
public sealed class SendGridTransportHostFixture(AzuriteFixture azurite) : HostFixture(azurite)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>
        {
            ["Email:Transport"] = "SendGrid",
            ["Email:SendGridApiKey"] = "SG.test-key-never-used",
            ["Email:SendGridHost"] = "http://127.0.0.1:9",
            ["Email:FromAddress"] = "noreply@example.dk",
            ["Clinic:PublicBaseUrl"] = "https://pvp.example.dk",
            ["Clinic:Name"] = "Rygklinikken",
            ["Clinic:Phone"] = "+45 70 20 30 40",
        };
}
