using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// Carries actor messages between actor systems in different processes over TCP.
/// It listens for peers and delivers their envelopes to local actors by path; <see cref="ResolveRemote"/> gives refs
/// whose Tell sends to an actor of another system. Per remote address there is one outbound association (one
/// connection, bounded queue, reconnect with backoff), whose state changes are published on the event stream as
/// <see cref="AssociationConnected"/> and <see cref="AssociationDisconnected"/>.
/// Delivery is at most once: messages queued for, or in flight to, a peer that fails may be lost.
/// </summary>
public sealed class RemoteTransport : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<string, Association> _associations = new(StringComparer.Ordinal);
    private readonly Lock _associationsGate = new();
    private readonly ConcurrentDictionary<InboundConnection, Task> _inbound = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _droppedInbound;
    private int _disposed;

    private RemoteTransport(ActorSystem system, RemoteSettings settings, MessageSerializerRegistry serializers, Socket listener, string address)
    {
        System = system;
        Settings = settings;
        _clusterId = (long)settings.ClusterId;
        _memberId = (long)settings.MemberId;
        Serializers = serializers;
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        Address = address;
        Log = system.LoggerFactory.CreateLogger<RemoteTransport>();
        Resolver = new LocalActorResolver(system);
        ShutdownToken = _shutdown.Token;
    }

    public ActorSystem System { get; }

    public RemoteSettings Settings { get; }

    private long _clusterId;
    private long _memberId;

    /// <summary>The cluster this transport belongs to; 0 until a joining member has learned it.</summary>
    public ulong ClusterId => (ulong)Interlocked.Read(ref _clusterId);

    /// <summary>This member's id as peers are told it; 0 until a joining member has learned it.</summary>
    public ulong MemberId => (ulong)Interlocked.Read(ref _memberId);

    /// <summary>
    /// A transport started with cluster id 0 (a member joining a running cluster, which cannot know the id yet) takes
    /// the id of the first peer that connects to it. True when <paramref name="clusterId"/> is (now) this transport's.
    /// </summary>
    internal bool TryAdoptClusterId(ulong clusterId) =>
        Interlocked.CompareExchange(ref _clusterId, (long)clusterId, 0) is var previous && (previous == 0 || (ulong)previous == clusterId);

    /// <summary>Sets the member id a joining member learned from the cluster.</summary>
    public void SetMemberId(ulong memberId) => Interlocked.Exchange(ref _memberId, (long)memberId);

    public MessageSerializerRegistry Serializers { get; }

    /// <summary>The bound listening endpoint (its port is the real one when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public int Port => LocalEndPoint.Port;

    /// <summary>host:port that peers use to reach this system (the advertised address).</summary>
    public string Address { get; }

    /// <summary>Outbound messages dropped so far, over all associations (queue full, too large, lost with a connection).</summary>
    public long DroppedOutboundMessages
    {
        get
        {
            long total = 0;
            foreach (var association in _associations.Values)
            {
                total += association.DroppedMessages;
            }
            return total;
        }
    }

    /// <summary>Inbound messages dropped because their serializer, manifest or payload could not be decoded.</summary>
    public long DroppedInboundMessages => Interlocked.Read(ref _droppedInbound);

    internal ILogger Log { get; }

    internal LocalActorResolver Resolver { get; }

    internal CancellationToken ShutdownToken { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Binds the listener and starts accepting peers.</summary>
    public static async Task<RemoteTransport> StartAsync(
        ActorSystem system,
        RemoteSettings settings,
        MessageSerializerRegistry serializers,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(serializers);
        settings.Validate();
        var listenAddress = await ResolveListenAddressAsync(settings.ListenHost, cancellationToken).ConfigureAwait(false);
        var isWildcard = listenAddress.Equals(IPAddress.Any) || listenAddress.Equals(IPAddress.IPv6Any);
        if (settings.AdvertisedAddress is null && isWildcard)
        {
            throw new ArgumentException($"Listening on the wildcard '{settings.ListenHost}' needs an AdvertisedAddress that peers can connect to.", nameof(settings));
        }

        var listener = new Socket(listenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (listenAddress.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }
            if (!OperatingSystem.IsWindows())
            {
                // Lets a restarted member bind its port while connections of its previous run sit in TIME_WAIT.
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }
            listener.Bind(new IPEndPoint(listenAddress, settings.ListenPort));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        var boundPort = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var address = settings.AdvertisedAddress ?? RemoteAddress.Format(settings.ListenHost, boundPort);
        var transport = new RemoteTransport(system, settings, serializers, listener, address);
        transport._acceptLoop = transport.AcceptLoopAsync();
        transport.Log.LogInformation("Remoting listening on {EndPoint}, advertised as {Address} (cluster {ClusterId:x}, member {MemberId:x})",
            transport.LocalEndPoint, address, settings.ClusterId, settings.MemberId);
        return transport;
    }

    /// <summary>
    /// A ref to the actor at <paramref name="path"/> (e.g. "/user/raft") in the system listening at
    /// <paramref name="address"/> (host:port). Its Tell accepts registered protobuf messages only; the sender travels
    /// as (address, path) so the receiver can reply to it. No connection is made until the first message.
    /// </summary>
    public IActorRef ResolveRemote(string address, string path)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/') || ActorPathText.Elements(path).Length == 0)
        {
            throw new ArgumentException($"'{path}' is not an actor path inside a system (e.g. \"/user/raft\").", nameof(path));
        }
        var association = GetOrCreateAssociation(address)
            ?? throw new ArgumentException($"'{address}' is not of the form host:port.", nameof(address));
        var remote = association.GetRef(path);
        _ = remote.Path; // validates the path elements now rather than at first use
        return remote;
    }

    /// <summary>Counters of the association to <paramref name="address"/>; null if nothing was ever sent or resolved there.</summary>
    public RemoteAssociationStatus? GetAssociationStatus(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _associations.TryGetValue(address, out var association) ? association.Status : null;
    }

    /// <summary>Stops listening, closes every connection and drops what is still queued.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        Association[] associations;
        lock (_associationsGate)
        {
            associations = [.. _associations.Values];
        }
        foreach (var association in associations)
        {
            association.Shutdown();
        }
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(associations.Select(a => a.Completion)).ConfigureAwait(false);
        await Task.WhenAll(_inbound.Values).ConfigureAwait(false);
        Log.LogInformation("Remoting at {Address} stopped", Address);
    }

    /// <summary>The ref that inbound messages carry as their sender; null when the advertised address is unusable.</summary>
    internal RemoteActorRef? GetSenderRef(string address, string path) => GetOrCreateAssociation(address)?.GetRef(path);

    internal void CountInboundDrop() => Interlocked.Increment(ref _droppedInbound);

    private Association? GetOrCreateAssociation(string address)
    {
        if (_associations.TryGetValue(address, out var existing))
        {
            return existing;
        }
        if (!RemoteAddress.TryParse(address, out var host, out var port))
        {
            return null;
        }
        lock (_associationsGate)
        {
            if (_associations.TryGetValue(address, out existing))
            {
                return existing;
            }
            var association = new Association(this, address, host, port);
            if (IsDisposed)
            {
                // Late refs (replies racing with shutdown) get a closed association: their messages become dead letters.
                association.Shutdown();
                return association;
            }
            _associations[address] = association;
            association.Start();
            return association;
        }
    }

    private async Task AcceptLoopAsync()
    {
        var shutdown = ShutdownToken;
        while (!shutdown.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(shutdown).ConfigureAwait(false);
            }
            catch (Exception) when (shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. out of file descriptors: back off briefly instead of spinning.
                Log.LogWarning("Accepting a connection failed: {Reason}", ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), shutdown).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            var connection = new InboundConnection(this, socket);
            // Off the accept loop: a stream wrapper may do synchronous work before its first await.
            var run = Task.Run(connection.RunAsync, CancellationToken.None);
            _inbound[connection] = run;
            _ = run.ContinueWith(
                static (_, state) =>
                {
                    var (inbound, finished) = ((ConcurrentDictionary<InboundConnection, Task>, InboundConnection))state!;
                    inbound.TryRemove(finished, out Task? _);
                },
                (_inbound, connection),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private static async Task<IPAddress> ResolveListenAddressAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return literal;
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"Listen host '{host}' does not resolve to an address.", nameof(host));
    }
}
