using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PvpServerless.Cli;
using PvpServerless.LocalHost;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.Cli;

/// <summary>
/// ./pvp up as a person or a script runs it: a real process in a process group of its own, stopped by a signal to
/// that whole group (as a terminal's Ctrl-C is), on a data folder of its own.
/// </summary>
public sealed class UpCommandTests : IDisposable
{
    private static readonly TimeSpan StartTime = TimeSpan.FromSeconds(120);
    private readonly string _root = PvpProcess.NewRoot();

    // Keeps ./pvp up off Azurite's usual ports, which a developer's own ./pvp up may be using.
    private readonly TcpListener? _usualPort = Listen(10002);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Data => Path.Combine(_root, ".pvp", "azurite");

    public void Dispose()
    {
        _usualPort?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_second_up_on_the_same_data_folder_is_refused_and_the_first_goes_on()
    {
        var first = Azurite.FreePort();
        await using var running = PvpProcess.Start(_root, "up", "--port", $"{first}");
        var key = Key(await running.WaitForLineAsync("coordinator key:", StartTime, Ct));

        var second = Azurite.FreePort();
        await using var again = PvpProcess.Start(_root, "up", "--port", $"{second}");
        Assert.Equal(1, await again.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains($"pvp up: {Data} is in use by another Azurite", again.Error);
        Assert.Contains("One Azurite per data folder", again.Error);
        Assert.True(Azurite.IsFree(second));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first}") };
        client.DefaultRequestHeaders.Add("x-functions-key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/patients", Ct)).StatusCode);

        await running.SignalGroupAsync("TERM");
        Assert.Equal(0, await running.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.False(DataFolderLock.IsHeld(Data));
    }

    [Fact]
    public async Task Stopping_refuses_new_requests_lets_the_one_in_flight_finish_and_Azurite_keeps_its_data()
    {
        var port = Azurite.FreePort();
        var studyId = Enrolments.NewStudyId();
        var body = JsonSerializer.SerializeToUtf8Bytes(Enrolments.Valid(studyId));
        Exception? failure = null;
        await using (var pvp = PvpProcess.Start(_root, "up", "--port", $"{port}"))
        {
            var key = Key(await pvp.WaitForLineAsync("coordinator key:", StartTime, Ct));

            // A slow client: the request is in flight, its body half sent, when the stop comes.
            using var slow = new TcpClient();
            await slow.ConnectAsync(IPAddress.Loopback, port, Ct);
            var stream = slow.GetStream();
            var head =
                $"POST /api/patients HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nx-functions-key: {key}\r\n"
                + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2), Ct);
            await stream.FlushAsync(Ct);
            // Time for the host to take the request in; 500 ms was too little on a loaded machine (1 in ~5 runs).
            await Task.Delay(2000, Ct);

            // As a terminal's Ctrl-C, to every process of the group (SIGINT may be ignored in a background job).
            await pvp.SignalGroupAsync("TERM");
            var stopping = await pvp.WaitForLineAsync("Stopping", TimeSpan.FromSeconds(20), Ct);
            Assert.Contains("waiting for 1 in flight", stopping);
            await Task.Delay(1500, Ct); // long enough for an Azurite that had the signal too to be gone
            await Assert.ThrowsAnyAsync<SocketException>(async () =>
            {
                using var late = new TcpClient();
                await late.ConnectAsync(IPAddress.Loopback, port, Ct);
            });

            await stream.WriteAsync(body.AsMemory(body.Length / 2), Ct);
            await stream.FlushAsync(Ct);
            var answer = await ReadStatusLineAsync(stream);
            try
            {
                Assert.StartsWith("HTTP/1.1 201", answer);
                Assert.Equal(0, await pvp.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
                Assert.Contains("Stopped. Azurite saved its data", pvp.Out);
            }
            catch (Exception ex)
            {
                failure = new Exception($"{ex.Message}\nstdout:\n{pvp.Out}\nstderr:\n{pvp.Error}", ex);
            }
        }
        if (failure is not null)
            throw failure;

        // Started again on the same folder, the enrolled patient is there and complete (a pending one is not listed).
        await using var stack = await LocalStack.StartAsync(
            _root,
            Data,
            ports: null,
            $"http://127.0.0.1:{Azurite.FreePort()}",
            new Dictionary<string, string?> { ["LocalHost:RunTimers"] = "false" },
            TextWriter.Null,
            Ct
        );
        using var client = new HttpClient { BaseAddress = new Uri(stack.Url) };
        client.DefaultRequestHeaders.Add("x-functions-key", stack.FunctionKeys["coordinator"]);
        var patient = await client.GetAsync($"/api/patients/{studyId}", Ct);
        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
    }

    private static string Key(string line) =>
        line.Split(':', 2)[1].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, Ct) == 1 && one[0] != '\n')
            line.Append((char)one[0]);
        return line.ToString().TrimEnd('\r');
    }

    private static TcpListener? Listen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
