using System.Net.Sockets;
using Grpc.Net.Client;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// A gRPC client of this member's own server, over a Unix domain socket that the same Kestrel listens on
/// (<see cref="GrpcHostOptions.SelfCallSocketPath"/>). The JSON gateway calls through it as etcd's grpc-gateway dials
/// its own member: every request then runs the same pipeline and interceptors as any gRPC client's (learner refusal,
/// size limits, auth), with no second implementation of a request. A Unix socket rather than a loopback port, so
/// that a member serving only https:// cannot be reached in clear text by other local users (the socket sits in
/// the member's private data directory, mode 0600); and rather than an in-memory transport, because Kestrel and
/// SocketsHttpHandler already speak HTTP/2 over it with streaming in both directions.
/// </summary>
public static class SelfGrpcChannel
{
    /// <summary>Longest socket path Linux accepts (sun_path is 108 bytes with its terminating zero).</summary>
    private const int MaxSocketPathBytes = 107;

    /// <summary>The socket's path for a member whose data live in <paramref name="memberDirectory"/>.</summary>
    public static string SocketPath(string memberDirectory)
    {
        var path = Path.GetFullPath(Path.Combine(memberDirectory, "grpc.sock"));
        if (System.Text.Encoding.UTF8.GetByteCount(path) <= MaxSocketPathBytes)
        {
            // A member whose journal is elsewhere (the sql plugin) has no member directory of its own yet.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(memberDirectory);
            }
            else
            {
                Directory.CreateDirectory(memberDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return path;
        }
        // A data dir too deep for a socket path: a private directory of its own under the temporary folder.
        var directory = Directory.CreateTempSubdirectory("actorstore-");
        return Path.Combine(directory.FullName, "grpc.sock");
    }

    /// <summary>
    /// Removes the socket once the server stopped, and the private directory <see cref="SocketPath"/> made for it when
    /// the data dir was too deep.
    /// </summary>
    public static void DeleteSocket(string socketPath, string memberDirectory)
    {
        File.Delete(socketPath);
        var directory = Path.GetDirectoryName(socketPath);
        if (directory is not null && Path.GetFullPath(directory) != Path.GetFullPath(memberDirectory) && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static GrpcChannel Create(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var endpoint = new UnixDomainSocketEndPoint(socketPath);
        var handler = new SocketsHttpHandler
        {
            // Many watch streams at once: more connections when one reaches the server's stream limit.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            // No client-side limits: the server's own limits answer with etcd's errors, as etcd's gateway lets them
            // (it dials with MaxCallRecvMsgSize(math.MaxInt32)).
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
    }
}
