using System.Net;
using System.Net.Sockets;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// Ports free on 127.0.0.1 for servers the tests start; the probe listener is closed before the server binds. They
/// come from below Linux's ephemeral range (32768 and up): a port from that range can be taken, between the probe and
/// the server's bind, as the local port of any outgoing connection the parallel tests make.
/// </summary>
public static class FreePorts
{
    private const int First = 15000;
    private const int Last = 32000;

    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException($"no free port between {First} and {Last} on 127.0.0.1");
    }
}
