using System.Net;
using System.Net.Sockets;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>Ports the OS hands out as free on 127.0.0.1; the listener is closed before the server binds.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
