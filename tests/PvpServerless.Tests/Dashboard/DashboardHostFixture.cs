using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PvpServerless.Dashboard;
using PvpServerless.Tests.Browser;
using PvpServerless.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PvpServerless.Tests.Dashboard;

/// <summary>
/// The browser tests' local host with the dashboard's one-machine sign-in on (<c>Dashboard:LocalSignIn</c>), and the
/// steps every dashboard test takes: a sign-in link, signing in, a stored response, sending what is queued.
/// </summary>
public sealed class DashboardHostFixture(AzuriteFixture azurite) : BrowserHostFixture(azurite)
{
    /// <summary>A laptop's screen (1366 × 768) and a tablet held upright (768 × 1024), as issue 11 asks.</summary>
    public static readonly Viewport Laptop = new("laptop", 1366, 768, 1, IsMobile: false, HasTouch: false);

    public static readonly Viewport Tablet = new("tablet", 768, 1024, 2, IsMobile: true, HasTouch: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(base.ExtraSettings) { ["Dashboard:LocalSignIn"] = "true" };

    public static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<string> SignInLinkAsync(string lang = "en") =>
        $"{Url}/api/dashboard/sign-in?ticket={await Services.GetRequiredService<SignInTickets>().IssueAsync(Ct)}"
        + $"&lang={lang}";

    /// <summary>Opens a fresh sign-in link and signs in as <paramref name="initials"/>: the overview follows.</summary>
    public async Task SignInAsync(IPage page, string initials = "AB", string lang = "en")
    {
        await page.GotoAsync(await SignInLinkAsync(lang));
        await page.Locator("#initials").FillAsync(initials);
        await page.Locator("form.sign-in button").ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync(lang == "en" ? "Overview" : "Oversigt");
    }

    /// <summary>
    /// A baseline response through the API: EQ-5D-3L state 21232, VAS 40 (index 0.321 under the Danish value set,
    /// as SurveyBrowserTests works out).
    /// </summary>
    public async Task StoreBaselineAsync(string studyId, string? completedAt = null)
    {
        var response = await PostJsonAsync(
            $"/api/patients/{studyId}/responses",
            new
            {
                wave = "baseline",
                completedAt = completedAt
                    ?? DateTimeOffset
                        .UtcNow.AddMinutes(-5)
                        .ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
                eq5d = new
                {
                    mobility = 2,
                    selfCare = 1,
                    usualActivities = 2,
                    pain = 3,
                    anxiety = 2,
                    vas = 40,
                },
            }
        );
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Hands every queued invitation to the sender, as the queue trigger would.</summary>
    public async Task SendQueuedAsync()
    {
        var queue = Storage.Queues.GetQueueClient(Prefix + "-invitations");
        foreach (var message in (await queue.ReceiveMessagesAsync(32, cancellationToken: Ct)).Value)
        {
            await RunAsync("SendInvitation", message.MessageText);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
        }
    }

    /// <summary>The outbox as <c>GET /api/outbox</c> lists it (master key).</summary>
    public async Task<JsonArray> OutboxAsync() =>
        (await Anonymous.GetFromJsonAsync<JsonObject>($"/api/outbox?take=100&code={MasterKey}", Ct))![
            "items"
        ]!.AsArray();

    /// <summary><c>GET /api/followups/summary</c>.</summary>
    public async Task<JsonObject> SummaryAsync() =>
        (await Client.GetFromJsonAsync<JsonObject>("/api/followups/summary", Ct))!;
}
