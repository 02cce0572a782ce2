using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// Puts through both followers just as the leader dies go to the dead leader and are lost. When the request timeout
/// passes, the follower that became the new leader tells the client why ("possibly due to previous leader failure");
/// the other one can only say that the request timed out. Same answers from etcd and ActorStore.
/// </summary>
[Collection(WatchLeaseLockClusterCollection.Name)]
public sealed class LostProposalTests
{
    private readonly SharedClusters _clusters;

    public LostProposalTests(SharedClusters clusters)
    {
        _clusters = clusters;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Puts_sent_to_a_leader_that_dies_time_out_and_the_next_leader_names_the_leader_failure(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Members.Where(member => member != leader).ToArray();
        try
        {
            await leader.KillHardAsync();
            // Within the election timeout the followers still forward to the dead leader. The request timeout
            // (7 s at default timings) must end before etcdctl's own.
            var puts = followers
                .Select(follower => follower.Etcdctl.RunAsync("--command-timeout=20s", "put", "lost-" + Guid.NewGuid().ToString("N")[..8], "v"))
                .ToArray();
            var results = await Task.WhenAll(puts);
            var next = await cluster.LeaderAsync();

            for (var i = 0; i < followers.Length; i++)
            {
                var expected = followers[i] == next
                    ? "Error: etcdserver: request timed out, possibly due to previous leader failure\n"
                    : "Error: etcdserver: request timed out\n";
                Assert.True(results[i].ExitCode == 1 && results[i].StdErr.EndsWith(expected, StringComparison.Ordinal), $"{followers[i].Name}, leader {next.Name}: {results[i]}");
            }
        }
        finally
        {
            await cluster.RestoreAsync(leader);
        }
    }
}
