using System.Net;
using System.Net.Sockets;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>Connects to a member's peer port from outside the cluster: with `openssl s_client`, or with plain TCP.</summary>
public static class TlsProbe
{
    /// <summary>
    /// `openssl s_client` to 127.0.0.1:<paramref name="port"/>, verifying the server against <paramref name="caFile"/>
    /// (none: no verification) and presenting <paramref name="client"/> if given; it hangs up once the handshake is done,
    /// or with <paramref name="untilServerHangsUp"/> stays connected as a peer would, until the server closes the
    /// connection (a refusal). A .NET server checks a client certificate once its side of the handshake is done; a
    /// client that hangs up at once can close the connection before that check has run.
    /// </summary>
    public static Task<CommandResult> HandshakeAsync(int port, string? caFile, IssuedCertificate? client, bool untilServerHangsUp = false)
    {
        var args = new List<string> { "s_client", "-connect", $"127.0.0.1:{port}" };
        if (untilServerHangsUp)
        {
            args.Add("-ign_eof");
        }
        if (caFile is not null)
        {
            args.AddRange(["-CAfile", caFile, "-verify_return_error"]);
        }
        if (client is not null)
        {
            args.AddRange(["-cert", client.CertFile, "-key", client.KeyFile]);
        }
        return OpenSsl.RunAsync([.. args], stdin: "", timeout: TimeSpan.FromSeconds(15));
    }

    /// <summary>Sends an HTTP request for etcd's peer prober path over plain TCP and reads until the server hangs up (5 s at most).</summary>
    public static async Task<PlainProbe> PlainHttpAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var local = (IPEndPoint)client.Client.LocalEndPoint!;
        var stream = client.GetStream();
        await stream.WriteAsync("GET /raft/probing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        using var reply = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[4096];
        var closed = false;
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }
                reply.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // A reset is a hang-up too.
            closed = true;
        }
        return new PlainProbe($"127.0.0.1:{local.Port}", reply.ToArray(), closed);
    }
}
