using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace PvpServerless.Tests.LocalHost;

/// <summary>
/// Functions that exist only in the test assembly: the local host must find, route, schedule and poll them with no
/// change to itself. Their effects are rows in a table of their own, so tests see them in Azurite.
/// </summary>
public sealed class TestFunctions(IConfiguration configuration)
{
    private TableClient Effects()
    {
        var table = new TableServiceClient(configuration["AzureWebJobsStorage"]).GetTableClient(
            configuration["Storage:NamePrefix"] + "TestEffects"
        );
        table.CreateIfNotExists();
        return table;
    }

    [Function("TestEcho")]
    public IActionResult Echo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "test/echo/{word}/{times:int}")] HttpRequest request,
        string word,
        int times
    ) => new OkObjectResult(new { echo = string.Concat(Enumerable.Repeat(word, times)) });

    [Function("TestAdminOnly")]
    public IActionResult AdminOnly(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "test/admin")] HttpRequest request
    ) => new OkResult();

    [Function("TestTick")]
    public async Task Tick([TimerTrigger("%TestSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await Effects()
            .UpsertEntityAsync(
                new TableEntity("tick", Guid.NewGuid().ToString("N")),
                cancellationToken: cancellationToken
            );

    [Function("TestWork")]
    public async Task Work([QueueTrigger("%TestQueueName%")] string message, CancellationToken cancellationToken)
    {
        if (message == "fail")
            throw new InvalidOperationException("This message always fails.");
        await Effects().UpsertEntityAsync(new TableEntity("work", message), cancellationToken: cancellationToken);
    }
}
