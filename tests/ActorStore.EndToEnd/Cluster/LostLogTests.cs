using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// A member whose data dir was wiped, restarted as a member of its old cluster (--initial-cluster-state existing):
/// the leader knows it once held entries its log no longer has. etcd stops it with "tocommit(N) is out of range
/// [lastIndex(M)]. Was the raft log corrupted, truncated, or lost?" and a non-zero exit; ActorStore must do the same
/// rather than restart its Raft actor in a loop, and the other two members must go on serving.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LostLogTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_member_restarted_without_its_log_stops_with_a_clear_error(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind);
        for (var i = 0; i < 5; i++)
        {
            CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("put", $"lost-log/{i}", "v"));
        }
        await cluster.WaitForSameRaftIndexAsync();
        var leader = await cluster.LeaderAsync();
        var victim = cluster.Members.First(member => member != leader);
        await victim.StopAsync();
        Directory.Delete(victim.DataDir, recursive: true);

        await using var wiped = new ClusterMember(
            kind, victim.Name, victim.DataDir, victim.Placement, victim.InitialCluster, victim.InitialClusterToken, "existing", []);
        wiped.Launch();
        var exitCode = await wiped.Process.WaitForExitAsync(ExitTimeout);
        output.WriteLine(wiped.OutputTail(10));

        Assert.NotEqual(0, exitCode);
        Assert.Matches(@"tocommit\(\d+\) is out of range \[lastIndex\(\d+\)\]\. Was the raft log corrupted, truncated, or lost\?", wiped.Process.Output);
        var survivors = cluster.Members.Where(member => member != victim).ToArray();
        CommandResult.AssertOk(await ClusterNodes.EtcdctlFor(survivors).RunAsync("put", "lost-log/after", "still-serving"));
    }
}
