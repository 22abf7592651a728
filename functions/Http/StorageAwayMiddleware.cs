using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace PvpServerless.Functions.Http;

/// <summary>
/// The one place where an HTTP function that meets storage out of reach gets its 503 with Retry-After instead of a
/// 500 (<see cref="Answers.StorageAway"/>): the worker's middleware on Azure, registered in Program; the local host
/// asks the same question of every HTTP function it runs. Pages that a patient or a coordinator reads answer their own
/// 503 page before it comes to this (docs/evidence.md, "Faults").
/// </summary>
public sealed class StorageAwayMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is not null && Answers.StorageAway(ex) is { } busy)
        {
            Log(context.GetLogger<StorageAwayMiddleware>(), context.FunctionDefinition.Name, ex);
            // The ASP.NET Core integration writes an IActionResult result to the response after the pipeline.
            context.GetInvocationResult().Value = busy;
        }
    }

    /// <summary>A warning naming the function and the failure's kind (its text may hold storage addresses).</summary>
    public static void Log(ILogger log, string function, Exception failure) =>
        log.LogWarning(
            "{Function}: storage out of reach ({Failure}); answered 503 with Retry-After",
            function,
            failure.GetType().Name
        );
}
