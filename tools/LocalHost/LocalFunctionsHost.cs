using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PvpServerless.Functions;
using PvpServerless.Functions.Http;

namespace PvpServerless.LocalHost;

/// <summary>How to start a local host: where it listens, what it reads, which assemblies hold functions.</summary>
public sealed record LocalHostSettings
{
    public string Url { get; init; } = "http://127.0.0.1:7071";

    /// <summary>A local.settings.json whose <c>Values</c> become configuration, as Core Tools reads it.</summary>
    public string? LocalSettingsFile { get; init; }

    /// <summary>Settings on top of the file (tests put their Azurite connection and keys here).</summary>
    public IReadOnlyDictionary<string, string?> Values { get; init; } = new Dictionary<string, string?>();

    /// <summary>Assemblies searched for <c>[Function]</c> methods besides the Functions project itself.</summary>
    public IReadOnlyList<Assembly> ExtraAssemblies { get; init; } = [];

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>
    /// More logging set-up after the app's own (filters, providers): the privacy tests capture every entry here. The
    /// app's loggers scrub before any provider sees an entry, whatever is added.
    /// </summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>
    /// How long a stop waits for the requests in flight (new ones are refused at once); then they are aborted. The
    /// host leaves SIGINT and SIGTERM to its caller, who decides when to stop it.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The clock of every function (null: the system's). The demo's study moves one day by day, so that the pages
    /// and the scheduler see the simulated day; timers and queue polls then follow it too.
    /// </summary>
    public TimeProvider? Clock { get; init; }
}

/// <summary>An ASP.NET Core app that hosts the Functions project's classes as the Functions host would.</summary>
public static class LocalFunctionsHost
{
    public static WebApplication Build(LocalHostSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Url);
        builder.Logging.SetMinimumLevel(settings.MinimumLogLevel);
        if (settings.LocalSettingsFile is { } file && File.Exists(file))
            builder.Configuration.AddInMemoryCollection(ReadLocalSettings(file));
        builder.Configuration.AddInMemoryCollection(settings.Values);

        var options =
            builder.Configuration.GetSection(LocalHostOptions.Section).Get<LocalHostOptions>()
            ?? new LocalHostOptions();
        var functions = FunctionCatalog.Discover([typeof(FunctionServices).Assembly, .. settings.ExtraAssemblies]);

        builder.Services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.AddSingleton<RequestsInFlight>();
        builder.Services.AddPvpFunctions(builder.Configuration);
        settings.ConfigureLogging?.Invoke(builder.Logging);
        if (settings.Clock is { } clock)
            builder.Services.AddSingleton(clock); // the last registration is the one resolved
        builder.Services.AddMvcCore(); // IActionResult executors, as the ASP.NET Core integration of the worker has
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(functions);
        builder.Services.AddSingleton<FunctionKeys>();
        builder.Services.AddSingleton<FunctionInvoker>();
        if (options.RunTimers)
            builder.Services.AddHostedService<TimerRunner>();
        if (options.RunQueues)
            builder.Services.AddHostedService<QueueRunner>();

        var app = builder.Build();
        app.Use(app.Services.GetRequiredService<RequestsInFlight>().TrackAsync);
        foreach (var function in functions.Where(f => f.Trigger is Trigger.Http))
        {
            MapHttp(app, function);
        }
        MapAdmin(app, functions);
        return app;
    }

    private static void MapHttp(WebApplication app, FunctionDescriptor function)
    {
        var http = (Trigger.Http)function.Trigger;
        app.MapMethods(
                "/api/" + http.Route.TrimStart('/'),
                http.Methods,
                async (HttpContext context, FunctionKeys keys, FunctionInvoker invoker, ILoggerFactory logs) =>
                {
                    if (!keys.Allows(context.Request, http.Level, function.Name))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return;
                    }
                    object? result;
                    try
                    {
                        result = await invoker.InvokeAsync(
                            function,
                            new TriggerInput(Http: context),
                            context.RequestAborted
                        );
                    }
                    // As the app's worker middleware does on Azure (StorageAwayMiddleware): 503, not 500.
                    catch (Exception ex) when (Answers.StorageAway(ex) is { } busy)
                    {
                        StorageAwayMiddleware.Log(logs.CreateLogger("LocalHost"), function.Name, ex);
                        result = busy;
                    }
                    await FunctionInvoker.WriteHttpResultAsync(context, result);
                }
            )
            .WithName(function.Name);
    }

    private static void MapAdmin(WebApplication app, IReadOnlyList<FunctionDescriptor> functions)
    {
        app.MapGet(
            "/admin/functions",
            (HttpContext context, FunctionKeys keys) =>
                keys.IsMaster(context.Request)
                    ? Results.Json(functions.Select(f => new { name = f.Name, trigger = Describe(f.Trigger) }))
                    : Results.Unauthorized()
        );

        // As the Functions host: run a non-HTTP function now; 202, and the run goes on in the background.
        // Local extension: with header x-pvp-wait: true the call waits and answers 200, or 500 with the error.
        app.MapPost(
            "/admin/functions/{name}",
            async (
                string name,
                HttpContext context,
                FunctionKeys keys,
                FunctionInvoker invoker,
                ILoggerFactory logs,
                IHostApplicationLifetime lifetime
            ) =>
            {
                if (!keys.IsMaster(context.Request))
                    return Results.Unauthorized();
                var function = functions.FirstOrDefault(f =>
                    string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
                );
                if (function is null || function.Trigger is Trigger.Http)
                    return Results.NotFound();
                string? input = null;
                if (context.Request.ContentLength is > 0 || context.Request.Headers.ContentType.Count > 0)
                {
                    try
                    {
                        var body = await JsonSerializer.DeserializeAsync<JsonElement>(
                            context.Request.Body,
                            cancellationToken: context.RequestAborted
                        );
                        input =
                            body.ValueKind == JsonValueKind.Object && body.TryGetProperty("input", out var i)
                                ? i.GetString()
                                : null;
                    }
                    catch (JsonException)
                    {
                        return Results.Problem(title: "The body must be JSON: {\"input\": \"…\"}.", statusCode: 400);
                    }
                }
                var trigger = new TriggerInput(
                    Timer: function.Trigger is Trigger.Timer ? new TimerInfo() : null,
                    QueueMessage: input
                );
                if (context.Request.Headers["x-pvp-wait"] == "true")
                {
                    try
                    {
                        await invoker.InvokeAsync(function, trigger, context.RequestAborted);
                        return Results.Ok(new { name = function.Name, completed = true });
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logs.CreateLogger("Admin").LogError(ex, "Function {Function} failed", function.Name);
                        return Results.Problem(
                            title: $"Function {function.Name} failed.",
                            detail: ex.Message,
                            statusCode: 500
                        );
                    }
                }
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await invoker.InvokeAsync(function, trigger, lifetime.ApplicationStopping);
                    }
                    catch (Exception ex)
                    {
                        logs.CreateLogger("Admin").LogError(ex, "Function {Function} failed", function.Name);
                    }
                });
                return Results.Accepted();
            }
        );
    }

    private static string Describe(Trigger trigger) =>
        trigger switch
        {
            Trigger.Http h => $"http {string.Join(",", h.Methods)} /api/{h.Route} ({h.Level})",
            Trigger.Timer t => $"timer {t.Schedule}",
            Trigger.Queue q => $"queue {q.QueueName}",
            _ => "?",
        };

    /// <summary>
    /// The <c>Values</c> of a local.settings.json; <c>A__B</c> becomes <c>A:B</c> as environment variables do.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> ReadLocalSettings(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("Values", out var values))
            yield break;
        foreach (var p in values.EnumerateObject())
        {
            yield return new(
                p.Name.Replace("__", ":", StringComparison.Ordinal),
                p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()
            );
        }
    }
}
