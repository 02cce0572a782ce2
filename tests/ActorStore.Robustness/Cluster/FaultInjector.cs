using System.Diagnostics;
using ActorStore.EndToEnd.Cluster;

namespace ActorStore.Robustness.Cluster;

/// <summary>
/// Injects one <see cref="Fault"/> into an <see cref="IsolatedCluster"/> and heals it (restarts, resumes, reconnects)
/// before returning, noting on a timeline what it did when, counted from the workload's start.
/// </summary>
public sealed class FaultInjector
{
    private static readonly TimeSpan DownTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PauseTime = TimeSpan.FromSeconds(4);
    // Shorter than the peers' 5 s connection timeouts (etcd's rafthttp read/write timeouts, ActorStore's remoting
    // heartbeat timeout): what a member sent into the cut is delayed, not dropped, and arrives after the heal. That is
    // how a forwarded proposal whose client gave up (and maybe retried elsewhere) gets applied late.
    private static readonly TimeSpan PartitionTime = TimeSpan.FromSeconds(4);

    // Two cuts in turn must fit in the workload; each still outlasts a client's deadline.
    private static readonly TimeSpan ShortPartitionTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan BetweenPartitions = TimeSpan.FromMilliseconds(500);

    private readonly IsolatedCluster _cluster;
    private readonly Random _random;
    private readonly Stopwatch _clock;
    private readonly List<string> _timeline = [];

    public FaultInjector(IsolatedCluster cluster, Random random, Stopwatch clock)
    {
        _cluster = cluster;
        _random = random;
        _clock = clock;
    }

    public IReadOnlyList<string> Timeline
    {
        get
        {
            lock (_timeline)
            {
                return _timeline.ToArray();
            }
        }
    }

    public async Task InjectAsync(Fault fault)
    {
        switch (fault)
        {
            case Fault.None:
                Note("no fault");
                break;
            case Fault.KillLeader:
                await KillAndRestartAsync(await LeaderAsync());
                break;
            case Fault.KillTwoMembersInTurn:
                var first = Pick(_cluster.Members);
                await KillAndRestartAsync(first);
                await KillAndRestartAsync(Pick(_cluster.Members.Where(member => member != first).ToArray()));
                break;
            case Fault.PauseLeader:
                var leader = await LeaderAsync();
                leader.Pause();
                Note($"SIGSTOP {leader.Name}");
                await Task.Delay(PauseTime);
                leader.Resume();
                Note($"SIGCONT {leader.Name}");
                break;
            case Fault.PartitionFollower:
                var current = await LeaderAsync();
                await CutOffForAWhileAsync(Pick(_cluster.Members.Where(member => member != current).ToArray()), "follower", PartitionTime);
                break;
            case Fault.PartitionFollowersInTurn:
                var leaderBefore = await LeaderAsync();
                var firstCut = Pick(_cluster.Members.Where(member => member != leaderBefore).ToArray());
                await CutOffForAWhileAsync(firstCut, "follower", ShortPartitionTime);
                await Task.Delay(BetweenPartitions);
                // The heal may have brought an election: the second cut goes to whichever other member follows now.
                var leaderAfter = await LeaderAsync();
                var followers = _cluster.Members.Where(member => member != leaderAfter).ToArray();
                await CutOffForAWhileAsync(followers.FirstOrDefault(member => member != firstCut) ?? followers[0], "follower", ShortPartitionTime);
                break;
            case Fault.PartitionLeader:
                await CutOffForAWhileAsync(await LeaderAsync(), "leader", PartitionTime);
                break;
            case Fault.KillAll:
                await Task.WhenAll(_cluster.Members.Select(member => member.KillHardAsync()));
                Note("kill -9 all members");
                await Task.Delay(DownTime);
                foreach (var member in _cluster.Members)
                {
                    member.Launch();
                }
                Note("restarted all members");
                // None gets healthy alone: each needs a quorum to apply its log first.
                await Task.WhenAll(_cluster.Members.Select(member => member.WaitHealthyAsync(ClusterNodes.StartTimeout)));
                Note("all members healthy");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private async Task<ClusterMember> LeaderAsync()
    {
        var leader = await _cluster.LeaderAsync();
        Note($"leader is {leader.Name}");
        return leader;
    }

    private async Task KillAndRestartAsync(ClusterMember member)
    {
        await member.KillHardAsync();
        Note($"kill -9 {member.Name}");
        await Task.Delay(DownTime);
        await member.StartAsync(ClusterNodes.StartTimeout);
        Note($"{member.Name} restarted and healthy");
    }

    private async Task CutOffForAWhileAsync(ClusterMember member, string role, TimeSpan time)
    {
        await _cluster.CutOffAsync(member);
        Note($"cut off {member.Name} ({role}) from its peers");
        await Task.Delay(time);
        await _cluster.HealAsync();
        Note("healed");
    }

    private ClusterMember Pick(IReadOnlyList<ClusterMember> members) => members[_random.Next(members.Count)];

    private void Note(string what)
    {
        lock (_timeline)
        {
            _timeline.Add($"{_clock.Elapsed.TotalSeconds:0.0}s {what}");
        }
    }
}
