using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ActorStore.Hosting;

/// <summary>
/// systemd's readiness protocol (sd_notify) for Type=notify units: datagrams such as "READY=1" and "STOPPING=1" sent to
/// the socket NOTIFY_SOCKET names ("@" for Linux's abstract namespace), and "WATCHDOG=1" at half the interval systemd
/// asks for in WATCHDOG_USEC when the unit sets WatchdogSec=. Without NOTIFY_SOCKET nothing is sent, as outside systemd.
/// </summary>
internal sealed class SystemdNotifier : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly CancellationTokenSource _stopping = new();
    private Task _watchdog = Task.CompletedTask;

    private SystemdNotifier(Socket socket, UnixDomainSocketEndPoint endPoint)
    {
        _socket = socket;
        _endPoint = endPoint;
    }

    /// <summary>The notifier the environment asks for, or null outside a Type=notify unit.</summary>
    public static SystemdNotifier? FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        return new SystemdNotifier(new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified), endPoint);
    }

    /// <summary>READY=1, and from then on the watchdog keep-alives if the unit has a watchdog.</summary>
    public async Task ReadyAsync()
    {
        await SendAsync("READY=1").ConfigureAwait(false);
        if (WatchdogInterval() is { } interval)
        {
            _watchdog = KeepWatchdogAsync(interval / 2, _stopping.Token);
        }
    }

    public Task StoppingAsync() => SendAsync("STOPPING=1");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watchdog.ConfigureAwait(false);
        _stopping.Dispose();
        _socket.Dispose();
    }

    /// <summary>WATCHDOG_USEC, when it is meant for this process (WATCHDOG_PID unset or ours).</summary>
    private static TimeSpan? WatchdogInterval()
    {
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds)
            && microseconds > 0
                ? TimeSpan.FromMicroseconds(microseconds)
                : null;
    }

    private async Task KeepWatchdogAsync(TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await SendAsync("WATCHDOG=1").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(string state)
    {
        try
        {
            await _socket.SendToAsync(Encoding.ASCII.GetBytes(state), SocketFlags.None, _endPoint).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // As sd_notify: a missing or closed socket is not the member's failure.
        }
    }
}
