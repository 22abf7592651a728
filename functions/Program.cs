using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace PvpServerless.Functions;

// Explicit namespaced class: a top-level Program would clash (CS0433) with the local host's.
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddPvpFunctions(builder.Configuration);
        builder.Build().Run();
    }
}
