using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.OpenApi;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// The local host keyed as deployed (<see cref="OpenApiHostFixture"/>) with something to attack: the documented
/// patients enrolled, their documented responses typed in, the example links' tokens and sent e-mails (with SendGrid's
/// documented events on them), and a nightly report for the documented day. Hostile requests aim at these, so they
/// reach the routes' own code.
/// </summary>
public sealed class HostileHostFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public OpenApiHostFixture Host { get; } = new(azurite);

    public ApiDescription Api { get; } = ApiDescription.Load();

    public string ConnectionString => Host.ConnectionString;

    public string Prefix => Host.Prefix;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Host.InitializeAsync();
        Client = Host.NewClient();
        var ct = TestContext.Current.CancellationToken;
        await FollowUpExamples.ArrangeAsync(Host, ct);
        var calls = new ApiCalls(Api, Client, Host.SignAsSendGrid);
        // SendGrid's documented batch once: sent again, changed or not, it has nothing new to store.
        foreach (var id in new[] { "EnrolPatient", "RecordResponse", "SendGridEvents" })
        {
            var op = Api.Operation(id);
            foreach (var (name, body) in op.RequestExamples)
            {
                var answer = await calls.SendAsync(op, body, OpenApiHostFixture.KeyOf(op.KeyRole));
                if (answer.Status is < 200 or >= 300)
                    throw new InvalidOperationException($"{op} example {name} was refused: {answer}");
            }
        }
        await Host.RunFunctionAsync("NightlyReport", ct);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Host.DisposeAsync();
    }
}
