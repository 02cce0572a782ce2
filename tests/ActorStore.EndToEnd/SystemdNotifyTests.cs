using System.Net.Sockets;
using System.Text;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>A Type=notify unit's view: READY=1 once the member serves clients, STOPPING=1 when it stops, watchdog keep-alives.</summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task Ready_comes_once_the_client_port_answers_then_watchdog_keep_alives_and_stopping_on_sigterm()
    {
        using var dir = new TempDir();
        var socketPath = Path.Combine(dir.Path, "notify");
        using var notifications = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notifications.Bind(new UnixDomainSocketEndPoint(socketPath));
        var client = FreePorts.Next();
        var peer = FreePorts.Next();
        await using var process = ServerProcess.Start("dotnet",
        [
            RepoPaths.ActorStoreDll, "--name", "n1", "--data-dir", Path.Combine(dir.Path, "data"),
            "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"n1=http://127.0.0.1:{peer}",
        ], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "400000" });

        Assert.Equal("READY=1", await ReceiveAsync(notifications));
        using (var http = new HttpClient())
        {
            // Answered at once: the member was serving when it said so.
            var health = await http.GetStringAsync($"http://127.0.0.1:{client}/health");
            Assert.Contains("\"health\":\"true\"", health);
        }

        Assert.Equal("WATCHDOG=1", await ReceiveAsync(notifications));
        await process.StopAsync();
        var rest = new List<string>();
        while (notifications.Available > 0)
        {
            rest.Add(await ReceiveAsync(notifications));
        }

        Assert.Contains("STOPPING=1", rest);
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, patience.Token);
        return Encoding.ASCII.GetString(buffer, 0, received);
    }
}
