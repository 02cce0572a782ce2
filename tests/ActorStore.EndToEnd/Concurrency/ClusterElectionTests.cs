using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Concurrency;

/// <summary>
/// `etcdctl elect` through different members of a three-member cluster is one election, and it survives the death of
/// the Raft leader: the leading candidate keeps leading, the waiting one keeps waiting, and an observer on a follower
/// sees every leader in turn, missing none.
/// </summary>
[Collection(WatchLeaseLockClusterCollection.Name)]
public sealed class ClusterElectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SharedClusters _clusters;

    public ClusterElectionTests(SharedClusters clusters)
    {
        _clusters = clusters;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Candidates_on_two_followers_and_an_observer_outlive_the_death_of_the_raft_leader(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Members.Where(member => member != leader).ToArray();
        var name = $"cl-el-{Guid.NewGuid():N}"[..14];
        try
        {
            await using var observer = EtcdctlProcess.Start(followers[1].Etcdctl, "elect", "-l", name);
            await using var first = EtcdctlProcess.Start(followers[0].Etcdctl, "elect", name, "p1");
            var firstKey = await ElectionCommands.LeaderKeyAsync(first, name, "p1", Wait);
            await using var second = EtcdctlProcess.Start(followers[1].Etcdctl, "elect", name, "p2");
            await observer.WaitForAsync(lines => lines.Count >= 2, Wait, "the first leader observed");
            // The second candidate's key is written and it waits on a watch: a write in flight to a leader that dies
            // is lost, on etcd too ("request timed out, possibly due to previous leader failure").
            await Eventually.GetAsync(
                async () => (await followers[1].Etcdctl.RunAsync("get", name, "--prefix", "--keys-only")).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2 ? "both" : null,
                Wait,
                () => "the second candidate's key written");
            await Task.Delay(500);

            await leader.KillHardAsync();
            await cluster.LeaderAsync();
            Assert.False(await second.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromSeconds(1)), "two leaders\n" + second.Describe());
            Assert.Equal([firstKey, "p1"], observer.Lines);

            await ElectionCommands.HandOverAndEndAsync(first, firstKey, second, observer, name, followers[0].Etcdctl, Wait);
        }
        finally
        {
            await cluster.RestoreAsync(leader);
        }
    }
}
