using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace PvpServerless.LocalHost;

/// <summary>What a trigger hands to one invocation: an HTTP request, a timer tick or a queue message.</summary>
public sealed record TriggerInput(HttpContext? Http = null, TimerInfo? Timer = null, string? QueueMessage = null);

/// <summary>
/// Calls a function method as the isolated worker would: a new instance of its class per invocation (constructor
/// injection from a fresh scope), parameters bound by type and by route-value name, the result awaited.
/// </summary>
public sealed class FunctionInvoker(IServiceScopeFactory scopes)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<object?> InvokeAsync(
        FunctionDescriptor function,
        TriggerInput input,
        CancellationToken cancellationToken
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var method = function.Method;
        var target = method.IsStatic
            ? null
            : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        try
        {
            var args = method
                .GetParameters()
                .Select(p => Bind(p, function, input, scope.ServiceProvider, cancellationToken))
                .ToArray();
            var result = method.Invoke(target, args);
            return result switch
            {
                Task task => await Unwrap(task),
                ValueTask valueTask => await Complete(valueTask),
                _ => result,
            };
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
        finally
        {
            switch (target)
            {
                case IAsyncDisposable ad:
                    await ad.DisposeAsync();
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }
    }

    private static object? Bind(
        ParameterInfo p,
        FunctionDescriptor function,
        TriggerInput input,
        IServiceProvider services,
        CancellationToken cancellationToken
    )
    {
        var type = p.ParameterType;
        if (type == typeof(CancellationToken))
            return cancellationToken;
        if (type == typeof(HttpRequest))
            return input.Http?.Request ?? throw Unbindable(function, p);
        if (type == typeof(HttpContext))
            return input.Http ?? throw Unbindable(function, p);
        if (type == typeof(TimerInfo))
            return input.Timer ?? new TimerInfo();
        // By position, not by reference: hosts that discover the same method at once may each get their own
        // ParameterInfo objects (the runtime's cache of them is filled without a lock).
        if (p.Position == function.TriggerParameter.Position && function.Trigger is Trigger.Queue)
        {
            var message = input.QueueMessage ?? "";
            if (type == typeof(string))
                return message;
            if (type == typeof(BinaryData))
                return BinaryData.FromString(message);
            if (type == typeof(byte[]))
                return System.Text.Encoding.UTF8.GetBytes(message);
            return JsonSerializer.Deserialize(message, type, Json);
        }
        if (input.Http?.GetRouteValue(p.Name!) is { } routeValue)
        {
            return type == typeof(string)
                ? routeValue.ToString()
                : Convert.ChangeType(
                    routeValue.ToString(),
                    Nullable.GetUnderlyingType(type) ?? type,
                    CultureInfo.InvariantCulture
                );
        }
        if (services.GetService(type) is { } service)
            return service;
        if (p.HasDefaultValue)
            return p.DefaultValue;
        throw Unbindable(function, p);
    }

    private static InvalidOperationException Unbindable(FunctionDescriptor f, ParameterInfo p) =>
        new($"Function '{f.Name}': parameter '{p.Name}' ({p.ParameterType.Name}) cannot be bound by the local host.");

    private static async Task<object?> Unwrap(Task task)
    {
        await task;
        var type = task.GetType();
        return
            type.IsGenericType
            && type.GetProperty("Result") is { } result
            && result.PropertyType.Name != "VoidTaskResult"
            ? result.GetValue(task)
            : null;
    }

    private static async Task<object?> Complete(ValueTask task)
    {
        await task;
        return null;
    }

    /// <summary>Writes what an HTTP function returned, as the ASP.NET Core integration does.</summary>
    public static async Task WriteHttpResultAsync(HttpContext http, object? result)
    {
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(
                    new ActionContext(
                        http,
                        http.GetRouteData(),
                        new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()
                    )
                );
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(http);
                break;
            case null:
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await http.Response.WriteAsJsonAsync(result, result.GetType(), Json);
                break;
        }
    }
}
