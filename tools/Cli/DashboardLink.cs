using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvpServerless.Dashboard;

namespace PvpServerless.Cli;

/// <summary>
/// The dashboard's address for a browser on this machine: a one-time sign-in link (docs/coordination.md,
/// "Dashboard") made by the running host itself, or the plain address when local sign-in is off.
/// </summary>
public static class DashboardLink
{
    public static async Task<string> MakeAsync(LocalStack stack, string url, CancellationToken cancellationToken)
    {
        if (!stack.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.LocalSignIn)
            return $"{url}{DashboardRoutes.Root}   (Dashboard:LocalSignIn is off: the platform's identity is required)";
        var ticket = await stack.Services.GetRequiredService<SignInTickets>().IssueAsync(cancellationToken);
        return $"{url}{DashboardRoutes.SignIn}?ticket={ticket}   (opens once, within "
            + $"{DashboardRoutes.TicketLifetime.TotalMinutes:N0} minutes)";
    }

    /// <summary>
    /// On a terminal, each Enter prints a new sign-in link until <paramref name="stop"/> ends; elsewhere (a script,
    /// a test) it only waits.
    /// </summary>
    public static async Task ServeAsync(
        LocalStack stack,
        string url,
        CliConsole console,
        Task stop,
        CancellationToken ct
    )
    {
        var o = console.Out;
        while (console.OutIsTerminal && !Console.IsInputRedirected)
        {
            var line = Task.Run(console.In.ReadLine, CancellationToken.None);
            if (await Task.WhenAny(line, stop) == stop || await line is null)
                break;
            o.WriteLine($"  dashboard:       {await MakeAsync(stack, url, ct)}");
            o.Flush();
        }
        await stop;
    }
}
