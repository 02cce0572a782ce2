using System.Diagnostics;

namespace ActorStore.Raft.Shell;

/// <summary>
/// etcd's timeout detector for a leader's heartbeats: each peer's heartbeat should leave within twice the heartbeat
/// interval of the previous one; when it leaves later the leader was too busy (etcd blames an overloaded leader or a
/// slow disk) and followers may soon start an election. Timestamps are <see cref="Stopwatch"/> ticks.
/// </summary>
internal sealed class HeartbeatTimeliness(TimeSpan heartbeatInterval)
{
    private readonly Dictionary<ulong, long> _lastSentAt = new();

    public TimeSpan Expected { get; } = 2 * heartbeatInterval;

    /// <summary>A heartbeat to <paramref name="peer"/> leaves now: by how much it is late, or null when on time.</summary>
    public TimeSpan? Observe(ulong peer, long now)
    {
        TimeSpan? late = null;
        if (_lastSentAt.TryGetValue(peer, out var last) && Stopwatch.GetElapsedTime(last, now) - Expected is var exceeded && exceeded > TimeSpan.Zero)
        {
            late = exceeded;
        }
        _lastSentAt[peer] = now;
        return late;
    }

    /// <summary>The leader changed: intervals start over.</summary>
    public void Reset() => _lastSentAt.Clear();
}
