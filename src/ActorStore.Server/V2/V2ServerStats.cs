using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActorStore.Protocol.Text;

namespace ActorStore.Server.V2;

/// <summary>
/// etcd's /v2/stats/self: this member's name and id, whether it leads or follows and whom, since when, and the appends
/// it sent (as leader) or received (as follower) with their recent rates. Fed by the Raft actor; read by the gateway.
/// </summary>
public sealed class V2ServerStats
{
    private readonly object _gate = new();
    private readonly string _name;
    private readonly string _id;
    private readonly DateTimeOffset _startTime;
    private readonly V2RateWindow _sent = new();
    private readonly V2RateWindow _received = new();
    private readonly TimeProvider _time;
    private bool _leading;
    private string _leader = "";
    private DateTimeOffset _leaderSince;
    private long _leaderSinceTimestamp;
    private ulong _sentCount;
    private ulong _receivedCount;

    public V2ServerStats(string name, ulong id, TimeProvider time)
    {
        _name = name;
        _id = id.ToString("x", CultureInfo.InvariantCulture);
        _time = time;
        _startTime = time.GetUtcNow();
        _leaderSince = _startTime;
        _leaderSinceTimestamp = time.GetTimestamp();
    }

    public void AppendReceived(ulong leader, int bytes)
    {
        lock (_gate)
        {
            _leading = false;
            var leaderId = leader.ToString("x", CultureInfo.InvariantCulture);
            if (leaderId != _leader)
            {
                _leader = leaderId;
                MarkLeaderSince();
            }
            _received.Insert(Stopwatch.GetTimestamp(), bytes);
            _receivedCount++;
        }
    }

    public void AppendSent(int bytes)
    {
        lock (_gate)
        {
            BecomeLeaderLocked();
            _sent.Insert(Stopwatch.GetTimestamp(), bytes);
            _sentCount++;
        }
    }

    public void BecameLeader()
    {
        lock (_gate)
        {
            BecomeLeaderLocked();
        }
    }

    /// <summary>The JSON etcd 3.4 answers (field names, order and omitted zero rates as its encoder writes them).</summary>
    public byte[] ToJson()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var (sendPackets, sendBytes) = _sent.Rate(now);
            var (receivePackets, receiveBytes) = _received.Rate(now);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("name", _name);
                json.WriteString("id", _id);
                json.WriteString("state", _leading ? "StateLeader" : "StateFollower");
                json.WriteString("startTime", Rfc3339(_startTime));
                json.WriteStartObject("leaderInfo");
                json.WriteString("leader", _leader);
                json.WriteString("uptime", GoDuration.Format(_time.GetElapsedTime(_leaderSinceTimestamp)));
                json.WriteString("startTime", Rfc3339(_leaderSince));
                json.WriteEndObject();
                json.WriteNumber("recvAppendRequestCnt", _receivedCount);
                WriteRate(json, "recvPkgRate", receivePackets);
                WriteRate(json, "recvBandwidthRate", receiveBytes);
                json.WriteNumber("sendAppendRequestCnt", _sentCount);
                WriteRate(json, "sendPkgRate", sendPackets);
                WriteRate(json, "sendBandwidthRate", sendBytes);
                json.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }

    private void BecomeLeaderLocked()
    {
        if (!_leading)
        {
            _leading = true;
            _leader = _id;
            MarkLeaderSince();
        }
    }

    private void MarkLeaderSince()
    {
        _leaderSince = _time.GetUtcNow();
        _leaderSinceTimestamp = _time.GetTimestamp();
    }

    private static void WriteRate(Utf8JsonWriter json, string name, double rate)
    {
        // Go's encoder leaves out a zero float tagged omitempty.
        if (rate != 0)
        {
            json.WriteNumber(name, rate);
        }
    }

    private static string Rfc3339(DateTimeOffset time) => V2Json.Rfc3339Nano((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);
}
