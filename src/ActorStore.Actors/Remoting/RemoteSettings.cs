namespace ActorStore.Actors.Remoting;

/// <summary>Options of a <see cref="RemoteTransport"/>; every property except the ids has a usable default.</summary>
public sealed record RemoteSettings
{
    /// <summary>Interface to listen on: an IP literal, "localhost", a host name, or a wildcard ("0.0.0.0", "::").</summary>
    public string ListenHost { get; init; } = "127.0.0.1";

    /// <summary>TCP port to listen on; 0 picks a free one (see <see cref="RemoteTransport.Port"/>).</summary>
    public int ListenPort { get; init; }

    /// <summary>
    /// host:port that peers use to reach this system; it travels with every sender ref. Null means
    /// <see cref="ListenHost"/> with the bound port, which is not allowed when listening on a wildcard.
    /// </summary>
    public string? AdvertisedAddress { get; init; }

    /// <summary>Connections from a peer with another cluster id are refused.</summary>
    public ulong ClusterId { get; init; }

    /// <summary>This member's id, announced in the handshake.</summary>
    public ulong MemberId { get; init; }

    /// <summary>Bound of each outbound queue; when it is full new messages go to dead letters and are counted.</summary>
    public int MaxQueuedMessagesPerPeer { get; init; } = 4096;

    /// <summary>Delay before the first reconnect attempt; it doubles after each failure up to <see cref="ReconnectBackoffMax"/>.</summary>
    public TimeSpan ReconnectBackoffMin { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Fraction (0..1) by which a backoff delay is randomly shortened, so peers do not retry in lockstep.</summary>
    public double ReconnectJitter { get; init; } = 0.2;

    /// <summary>Limit for the TCP connect plus the handshake, on both sides.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection without other traffic for this long sends a heartbeat frame.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A connection that received nothing (not even a heartbeat) for this long is considered dead and closed; this is
    /// what detects a crashed host or a partition, where TCP itself would stay silent for minutes.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest frame (kind byte + body) accepted or sent; a peer sending more is disconnected.</summary>
    public int MaxFrameSize { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Wraps every connection's stream before the handshake: (stream, isServer, cancellation) -> wrapped stream.
    /// This is where TLS (<see cref="System.Net.Security.SslStream"/>) plugs in. The result owns the inner stream.
    /// </summary>
    public Func<Stream, bool, CancellationToken, ValueTask<Stream>>? StreamWrapper { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ListenHost, nameof(ListenHost));
        ArgumentOutOfRangeException.ThrowIfNegative(ListenPort, nameof(ListenPort));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ListenPort, 65535, nameof(ListenPort));
        if (AdvertisedAddress is not null && !RemoteAddress.TryParse(AdvertisedAddress, out _, out _))
        {
            throw new ArgumentException($"AdvertisedAddress '{AdvertisedAddress}' is not of the form host:port.", nameof(AdvertisedAddress));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedMessagesPerPeer, 1, nameof(MaxQueuedMessagesPerPeer));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectBackoffMin, TimeSpan.Zero, nameof(ReconnectBackoffMin));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectBackoffMax, ReconnectBackoffMin, nameof(ReconnectBackoffMax));
        if (!(ReconnectJitter >= 0 && ReconnectJitter <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectJitter), ReconnectJitter, "Jitter must be between 0 and 1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatTimeout, HeartbeatInterval, nameof(HeartbeatTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameSize, 1024, nameof(MaxFrameSize));
    }
}
