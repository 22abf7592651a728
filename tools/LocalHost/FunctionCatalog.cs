using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace PvpServerless.LocalHost;

/// <summary>What starts a function: read from the same attributes the Functions host reads.</summary>
public abstract record Trigger
{
    public sealed record Http(string Route, IReadOnlyList<string> Methods, AuthorizationLevel Level) : Trigger;

    public sealed record Timer(string Schedule, bool RunOnStartup) : Trigger;

    public sealed record Queue(string QueueName, string? Connection) : Trigger;
}

public sealed record FunctionDescriptor(
    string Name,
    MethodInfo Method,
    Trigger Trigger,
    ParameterInfo TriggerParameter
);

/// <summary>
/// Finds every <c>[Function]</c> method in the given assemblies, so adding a function needs no change here.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Assembly> assemblies)
    {
        var found = new List<FunctionDescriptor>();
        foreach (var type in assemblies.Distinct().SelectMany(SafeTypes))
        {
            foreach (
                var method in type.GetMethods(
                    BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly
                )
            )
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                    continue;
                found.Add(Describe(function.Name, method));
            }
        }
        var duplicate = found.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two functions are named '{duplicate.Key}'.");
        return found;
    }

    private static FunctionDescriptor Describe(string name, MethodInfo method)
    {
        foreach (var p in method.GetParameters())
        {
            if (p.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                var methods = (http.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray();
                return new FunctionDescriptor(
                    name,
                    method,
                    new Trigger.Http(http.Route ?? name, methods, http.AuthLevel),
                    p
                );
            }
            if (p.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                return new FunctionDescriptor(name, method, new Trigger.Timer(timer.Schedule, timer.RunOnStartup), p);
            }
            if (p.GetCustomAttribute<QueueTriggerAttribute>() is { } queue)
            {
                return new FunctionDescriptor(name, method, new Trigger.Queue(queue.QueueName, queue.Connection), p);
            }
        }
        throw new InvalidOperationException(
            $"Function '{name}' ({method.DeclaringType?.Name}.{method.Name}) has no trigger this local host knows "
                + "(HTTP, timer, queue)."
        );
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
