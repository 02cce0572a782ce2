namespace ActorStore.Gateway.Http2.PingPolicy;

/// <summary>
/// What the ping policy knows of one connection: its strikes, the requests in flight on it, the highest stream the
/// client opened, and whether it must go away. Shared by the connection's reader and writer and by the requests.
/// </summary>
public sealed class PingPolicyConnection(TimeSpan minTime, TimeProvider time)
{
    private readonly long _startedAt = time.GetTimestamp();
    private int _activeStreams;
    private int _highestClientStreamId;
    private int _clientPings;
    private int _goAwayAfterAcks;
    private volatile bool _closing;

    public PingStrikes Strikes { get; } = new(minTime);

    public int ActiveStreams => Volatile.Read(ref _activeStreams);

    /// <summary>The last stream id a GOAWAY names: the highest the client opened (grpc-go's maxStreamID).</summary>
    public int HighestClientStreamId => Volatile.Read(ref _highestClientStreamId);

    /// <summary>
    /// True once the client pinged too often and the server has acknowledged the ping that was one too many: the
    /// writer then sends GOAWAY at the next frame boundary, as grpc-go answers that ping before it goes away.
    /// </summary>
    public bool IsGoAwayDue(int pingAcksWritten)
    {
        var after = Volatile.Read(ref _goAwayAfterAcks);
        return after > 0 && pingAcksWritten >= after;
    }

    /// <summary>Set by the writer once the GOAWAY is written: the reader then ends the connection's input.</summary>
    public bool IsClosing => _closing;

    /// <summary>Set by the reader when the connection turns out not to be HTTP/2: nothing is scanned then.</summary>
    public bool IsNotHttp2 { get; set; }

    public void StreamStarted() => Interlocked.Increment(ref _activeStreams);

    public void StreamEnded() => Interlocked.Decrement(ref _activeStreams);

    public void OnClientHeaders(int streamId)
    {
        if (streamId > _highestClientStreamId)
        {
            Volatile.Write(ref _highestClientStreamId, streamId);
        }
    }

    public void OnClientPing()
    {
        _clientPings++;
        if (Strikes.OnClientPing(time.GetElapsedTime(_startedAt), ActiveStreams) && Volatile.Read(ref _goAwayAfterAcks) == 0)
        {
            Volatile.Write(ref _goAwayAfterAcks, _clientPings);
        }
    }

    public void OnGoAwayWritten() => _closing = true;
}
