using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.LocalHost;

public sealed class LocalHostTests(TriggerHostFixture host) : IClassFixture<TriggerHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient Effects =>
        new TableServiceClient(host.ConnectionString).GetTableClient(host.Prefix + "TestEffects");

    private async Task<List<TableEntity>> EffectsAsync(string kind)
    {
        await Effects.CreateIfNotExistsAsync(Ct);
        return await Effects
            .QueryAsync<TableEntity>($"PartitionKey eq '{kind}'", cancellationToken: Ct)
            .ToListAsync(Ct);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
                return value;
            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public void Discovery_finds_the_app_functions_and_the_test_assembly_functions_with_their_triggers()
    {
        var functions = FunctionCatalog.Discover([
            typeof(PvpServerless.Functions.FunctionServices).Assembly,
            typeof(TestFunctions).Assembly,
        ]);
        var byName = functions.ToDictionary(f => f.Name);
        Assert.Equal(("patients", "POST", "Function"), Http(byName["EnrolPatient"].Trigger));
        Assert.Equal(("patients/{studyId}/events", "POST", "Function"), Http(byName["RecordPatientEvent"].Trigger));
        Assert.Equal(("test/echo/{word}/{times:int}", "GET", "Anonymous"), Http(byName["TestEcho"].Trigger));
        Assert.Equal(new Trigger.Timer("%TestSchedule%", false), byName["TestTick"].Trigger);
        Assert.Equal(new Trigger.Queue("%TestQueueName%", null), byName["TestWork"].Trigger);
    }

    private static (string, string, string) Http(Trigger trigger)
    {
        var http = Assert.IsType<Trigger.Http>(trigger);
        return (http.Route, string.Join(",", http.Methods), http.Level.ToString());
    }

    [Fact]
    public async Task An_http_function_of_the_test_assembly_is_routed_with_typed_route_values()
    {
        var echo = await host.Anonymous.GetFromJsonAsync<JsonElement>("/api/test/echo/ab/3", Ct);
        Assert.Equal("ababab", echo.GetProperty("echo").GetString());
        // The route constraint is the function's own: a non-integer does not match.
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.GetAsync("/api/test/echo/ab/x", Ct)).StatusCode);
    }

    [Fact]
    public async Task Admin_level_needs_the_master_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/test/admin", Ct)).StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/test/admin")
        {
            Headers = { { "x-functions-key", HostFixture.MasterKey } },
        };
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_timer_of_the_test_assembly_runs_on_its_schedule_from_a_setting()
    {
        // %TestSchedule% is every second.
        var ticks = await EventuallyAsync(() => EffectsAsync("tick"), t => t.Count >= 2, TimeSpan.FromSeconds(20));
        Assert.True(ticks.Count >= 2, $"the timer ran {ticks.Count} times in 20 s");
    }

    [Fact]
    public async Task The_admin_endpoint_runs_a_non_http_function_now()
    {
        using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/TestWork")
        {
            Content = JsonContent.Create(new { input = "x" }),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(anonymous, Ct)).StatusCode);

        using var run = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/TestWork")
        {
            Content = JsonContent.Create(new { input = "by-admin" }),
            Headers = { { "x-functions-key", HostFixture.MasterKey } },
        };
        Assert.Equal(HttpStatusCode.Accepted, (await host.Anonymous.SendAsync(run, Ct)).StatusCode);
        var work = await EventuallyAsync(
            () => EffectsAsync("work"),
            w => w.Any(e => e.RowKey == "by-admin"),
            TimeSpan.FromSeconds(10)
        );
        Assert.Contains(work, e => e.RowKey == "by-admin");

        using var http = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/TestEcho")
        {
            Headers = { { "x-functions-key", HostFixture.MasterKey } },
        };
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.SendAsync(http, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_queue_function_takes_messages_and_a_failing_one_ends_in_the_poison_queue_after_five_tries()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("AzureWebJobsStorage", (string?)host.ConnectionString)])
            .Build();
        var queue = QueueRunner.ClientFor(new Trigger.Queue(host.Prefix + "-work", null), configuration);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        await queue.SendMessageAsync("hello", cancellationToken: Ct);
        await queue.SendMessageAsync("fail", cancellationToken: Ct);

        var work = await EventuallyAsync(
            () => EffectsAsync("work"),
            w => w.Any(e => e.RowKey == "hello"),
            TimeSpan.FromSeconds(20)
        );
        Assert.Contains(work, e => e.RowKey == "hello");

        var poison = new QueueClient(
            host.ConnectionString,
            host.Prefix + "-work-poison",
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }
        );
        var poisoned = await EventuallyAsync(
            async () => await poison.ExistsAsync(Ct) ? (await poison.PeekMessagesAsync(10, Ct)).Value : [],
            m => m.Length > 0,
            TimeSpan.FromSeconds(40)
        );
        Assert.Equal("fail", Assert.Single(poisoned).Body.ToString());
        Assert.Equal(0, (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
    }
}

public sealed class TimerScheduleTests
{
    [Fact]
    public void A_setting_expression_is_resolved_and_runs_in_the_clinic_time_zone()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([
                KeyValuePair.Create("NightlySchedule", (string?)"0 0 2 * * *"),
                KeyValuePair.Create("WEBSITE_TIME_ZONE", (string?)"Europe/Copenhagen"),
            ])
            .Build();
        var schedule = TimerSchedule.Parse("%NightlySchedule%", configuration);
        // 02:00 in Copenhagen is 01:00 UTC in winter and 00:00 UTC in summer.
        Assert.Equal(
            DateTimeOffset.Parse("2026-11-29T01:00:00Z"),
            schedule.Next(DateTimeOffset.Parse("2026-11-28T18:00:00Z")).ToUniversalTime()
        );
        Assert.Equal(
            DateTimeOffset.Parse("2026-07-02T00:00:00Z"),
            schedule.Next(DateTimeOffset.Parse("2026-07-01T12:00:00Z")).ToUniversalTime()
        );
    }

    [Theory]
    [InlineData("0 0 2 * *")] // five fields: the Functions host needs six
    [InlineData("nonsense")]
    public void A_bad_expression_is_refused(string expression)
    {
        var configuration = new ConfigurationBuilder().Build();
        Assert.Throws<InvalidOperationException>(() => TimerSchedule.Parse(expression, configuration));
    }

    [Fact]
    public void An_undefined_setting_is_named()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            TimerSchedule.Parse("%Missing%", new ConfigurationBuilder().Build())
        );
        Assert.Contains("Missing", ex.Message, StringComparison.Ordinal);
    }
}
