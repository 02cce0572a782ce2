using System.Globalization;
using System.Text.Json;

namespace ActorStore.Server.V2;

/// <summary>
/// etcd's /v2/stats/leader: for each follower, the latency of the leader's messages to it in milliseconds (current,
/// average, standard deviation, minimum, maximum) and how many succeeded or failed. Here the latency is the heartbeat
/// round trip and a failure is a broken link to the follower. Fed by the Raft actor; read by the gateway.
/// </summary>
public sealed class V2LeaderStats(ulong id)
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, Follower> _followers = new(StringComparer.Ordinal);

    public void Succeeded(ulong follower, TimeSpan latency)
    {
        lock (_gate)
        {
            FollowerOf(follower).Succeeded(latency.TotalMilliseconds);
        }
    }

    public void Failed(ulong follower)
    {
        lock (_gate)
        {
            FollowerOf(follower).Fail++;
        }
    }

    public byte[] ToJson()
    {
        lock (_gate)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("leader", id.ToString("x", CultureInfo.InvariantCulture));
                json.WriteStartObject("followers");
                foreach (var (name, follower) in _followers)
                {
                    json.WriteStartObject(name);
                    json.WriteStartObject("latency");
                    json.WriteNumber("current", follower.Current);
                    json.WriteNumber("average", follower.Average);
                    json.WriteNumber("standardDeviation", follower.StandardDeviation);
                    json.WriteNumber("minimum", follower.Success == 0 ? Follower.NoMinimum : follower.Minimum);
                    json.WriteNumber("maximum", follower.Maximum);
                    json.WriteEndObject();
                    json.WriteStartObject("counts");
                    json.WriteNumber("fail", follower.Fail);
                    json.WriteNumber("success", follower.Success);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }

    private Follower FollowerOf(ulong follower)
    {
        var name = follower.ToString("x", CultureInfo.InvariantCulture);
        if (!_followers.TryGetValue(name, out var stats))
        {
            _followers[name] = stats = new Follower();
        }
        return stats;
    }

    private sealed class Follower
    {
        /// <summary>etcd starts the minimum at 1 &lt;&lt; 63 and prints it so until the first success.</summary>
        public const double NoMinimum = 9.223372036854776e18;

        public double Current { get; private set; }
        public double Average { get; private set; }
        public double StandardDeviation { get; private set; }
        public double Minimum { get; private set; } = NoMinimum;
        public double Maximum { get; private set; }
        public ulong Success { get; private set; }
        public ulong Fail { get; set; }
        private double _averageSquare;

        public void Succeeded(double milliseconds)
        {
            var total = Success * Average;
            var totalSquare = Success * _averageSquare;
            Success++;
            Current = milliseconds;
            Maximum = Math.Max(Maximum, milliseconds);
            Minimum = Math.Min(Minimum, milliseconds);
            Average = (total + milliseconds) / Success;
            _averageSquare = (totalSquare + milliseconds * milliseconds) / Success;
            StandardDeviation = Math.Sqrt(Math.Max(0, _averageSquare - Average * Average));
        }
    }
}
