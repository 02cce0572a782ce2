using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Concurrency;

/// <summary>
/// `etcdctl lock` through different members of a three-member cluster is one lock: a holder on one follower excludes
/// a contender on the other follower and one on the leader, and the lock passes on when it is released.
/// </summary>
[Collection(WatchLeaseLockClusterCollection.Name)]
public sealed class ClusterLockTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly SharedClusters _clusters;

    public ClusterLockTests(SharedClusters clusters)
    {
        _clusters = clusters;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Contenders_on_different_members_hold_the_lock_one_at_a_time(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Members.Where(member => member != leader).ToArray();
        var name = $"cl-lock-{Guid.NewGuid():N}"[..16];

        await using var first = EtcdctlProcess.Start(followers[0].Etcdctl, "lock", name);
        var firstKey = await LockCommands.HeldKeyAsync(first, name);
        await using var second = EtcdctlProcess.Start(followers[1].Etcdctl, "lock", name);
        await Task.Delay(300); // queued before the third
        await using var third = EtcdctlProcess.Start(leader.Etcdctl, "lock", name);
        Assert.False(await second.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromSeconds(1)), second.Describe());
        Assert.Empty(third.Lines);

        first.Interrupt();
        Assert.Equal(0, (await first.WaitForExitAsync(Wait)).ExitCode);
        var secondKey = await LockCommands.HeldKeyAsync(second, name);
        Assert.NotEqual(firstKey, secondKey);
        Assert.False(await third.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromMilliseconds(500)), third.Describe());

        second.Interrupt();
        Assert.Equal(0, (await second.WaitForExitAsync(Wait)).ExitCode);
        await LockCommands.HeldKeyAsync(third, name);
        third.Interrupt();
        Assert.Equal(0, (await third.WaitForExitAsync(Wait)).ExitCode);
        var left = CommandResult.AssertOk(await followers[0].Etcdctl.RunAsync("get", name, "--prefix", "--keys-only"));
        Assert.Equal("", left.StdOut);
    }
}
