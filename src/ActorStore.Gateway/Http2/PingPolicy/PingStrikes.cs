namespace ActorStore.Gateway.Http2.PingPolicy;

/// <summary>
/// grpc-go's server-side keepalive enforcement, as etcd configures it (a minimum ping interval from
/// --grpc-keepalive-min-time, pings without active streams not permitted): a client PING that comes sooner than
/// allowed after the previous one is a strike, and more than <see cref="MaxStrikes"/> strikes end the connection.
/// Any HEADERS or DATA the server sends forgives the strikes, at the next PING.
/// </summary>
/// <remarks>
/// <see cref="OnClientPing"/> runs on the connection's reading side; <see cref="OnServerHeadersOrData"/> may run on
/// its writing side at the same time.
/// </remarks>
public sealed class PingStrikes(TimeSpan minTime)
{
    /// <summary>grpc-go's maxPingStrikes.</summary>
    public const int MaxStrikes = 2;

    /// <summary>grpc-go's defaultPingTimeout: without active streams a client has no reason to ping more often.</summary>
    public static readonly TimeSpan IntervalWithoutStreams = TimeSpan.FromHours(2);

    private TimeSpan? _lastPingAt;
    private int _strikes;
    private int _forgiven;

    public TimeSpan MinTime => minTime;

    public int Strikes => _strikes;

    public void OnServerHeadersOrData() => Volatile.Write(ref _forgiven, 1);

    /// <summary>Counts a client PING (not an acknowledgement) received at <paramref name="now"/>; true when the connection must go away.</summary>
    public bool OnClientPing(TimeSpan now, int activeStreams)
    {
        var previous = _lastPingAt;
        _lastPingAt = now;
        if (Interlocked.Exchange(ref _forgiven, 0) == 1)
        {
            _strikes = 0;
            return false;
        }

        var allowed = activeStreams > 0 ? minTime : IntervalWithoutStreams;
        if (previous is { } last && now - last < allowed)
        {
            _strikes++;
        }

        return _strikes > MaxStrikes;
    }
}
