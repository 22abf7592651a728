using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using PvpServerless.Telemetry;

namespace PvpServerless.Functions;

// Explicit namespaced class: a top-level Program would clash (CS0433) with the local host's.
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        // After the ASP.NET Core integration's own middleware, so that its 503 is written as any function's result.
        builder.UseMiddleware<PvpServerless.Functions.Http.StorageAwayMiddleware>();
        // On Azure (infra/main.bicep sets the connection string): logs and traces through OpenTelemetry to Application
        // Insights, sent by the worker itself with the managed identity (the component takes no key-only telemetry).
        if (builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            // The Azure SDK reports each storage request as a span only when asked to.
            AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
            builder
                .Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddSource("Azure.*").AddProcessor(new ScrubbingActivityProcessor()))
                .UseFunctionsWorkerDefaults()
                .UseAzureMonitorExporter(exporter =>
                {
                    exporter.ConnectionString = connectionString;
                    exporter.Credential = new DefaultAzureCredential();
                });
        }
        builder.Services.AddPvpFunctions(builder.Configuration);
        builder.Build().Run();
    }
}
