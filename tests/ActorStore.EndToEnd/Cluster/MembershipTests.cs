using Grpc.Core;
using Grpc.Net.Client;
using ActorStore.EndToEnd.Infrastructure;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// Membership through etcdctl on a running three-member cluster: a learner is added, refused promotion while it lags
/// (etcd's error), joins with --initial-cluster-state existing, catches up and is promoted; peer URLs are updated; a
/// follower is removed and shuts down; a voter is added and joins. The member list reflects every step.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MembershipTests
{
    private const string NotInSync = "etcdserver: can only promote a learner member which is in sync with leader";

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Learner_is_refused_promotion_while_it_lags_then_joins_catches_up_and_is_promoted(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind);
        var before = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("put", "members/before", "1", "-w", "json"));

        var learner = await cluster.AddMemberAsync("m4", learner: true);
        var members = await cluster.MemberListAsync();
        Assert.Equal(4, members.Count);
        var listed = Assert.Single(members, member => member.Id == learner.Id);
        Assert.Equal(("", true), (listed.Name, listed.IsLearner));
        Assert.Equal(new[] { learner.Member.PeerUrl }, listed.PeerUrls);
        Assert.Empty(listed.ClientUrls);
        Assert.Contains($"m4={learner.Member.PeerUrl}", learner.InitialCluster.Split(','));
        Assert.Equal(4, learner.InitialCluster.Split(',').Length);

        // Not even started: it lags by the whole log.
        var early = await cluster.Etcdctl.RunAsync("member", "promote", learner.HexId);
        Assert.NotEqual(0, early.ExitCode);
        Assert.Contains("Error: " + NotInSync, early.StdErr);

        await learner.Member.StartAsync(ClusterNodes.StartTimeout);
        var statuses = await cluster.WaitForSameRaftIndexAsync();
        Assert.Equal(4, statuses.Count);
        Assert.True(Assert.Single(statuses, status => status.Endpoint == learner.Member.ClientUrl).IsLearner);
        var local = CommandResult.AssertOk(await learner.Member.Etcdctl.RunAsync("get", "members/before", "--consistency=s", "-w", "json"));
        Assert.Equal(("1", KvJson.HeaderRevision(before.StdOut)), KvJson.KeyValues(local.StdOut)["members/before"]);
        await AssertLearnerRefusesLinearizableReadsAsync(learner.Member);

        var promoted = await PromoteWhenInSyncAsync(cluster, learner);
        Assert.Contains($"Member {learner.Id,16:x} promoted in cluster ", promoted.StdOut);
        var afterPromote = Assert.Single(await cluster.MemberListAsync(), member => member.Id == learner.Id);
        Assert.Equal(("m4", false), (afterPromote.Name, afterPromote.IsLearner));
        Assert.Equal(new[] { learner.Member.ClientUrl }, afterPromote.ClientUrls);

        // Once it has applied its own promotion it is a voter: it serves linearizable reads and takes writes.
        Assert.All(await cluster.WaitForSameRaftIndexAsync(), status => Assert.False(status.IsLearner));
        var after = CommandResult.AssertOk(await learner.Member.Etcdctl.RunAsync("put", "members/promoted", "4", "-w", "json"));
        var read = CommandResult.AssertOk(await learner.Member.Etcdctl.RunAsync("get", "members/promoted", "-w", "json"));
        Assert.Equal(("4", KvJson.HeaderRevision(after.StdOut)), KvJson.KeyValues(read.StdOut)["members/promoted"]);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Peer_urls_are_updated_and_a_removed_follower_leaves_the_cluster(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind);
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Members.Where(member => member != leader).ToArray();

        // Same listener under another name: the member stays reachable at its new peer URL.
        var updatedMember = followers[0];
        var updatedId = await cluster.IdOfAsync(updatedMember);
        var newPeerUrl = $"http://localhost:{updatedMember.PeerPort}";
        var updated = CommandResult.AssertOk(await ClusterNodes.ReconfigureAsync(
            cluster.Etcdctl, "member", "update", updatedId.ToString("x"), "--peer-urls=" + newPeerUrl));
        Assert.Contains($"Member {updatedId,16:x} updated in cluster ", updated.StdOut);
        var listed = Assert.Single(await cluster.MemberListAsync(), member => member.Id == updatedId);
        Assert.Equal((updatedMember.Name, false), (listed.Name, listed.IsLearner));
        Assert.Equal(new[] { newPeerUrl }, listed.PeerUrls);

        var removedMember = followers[1];
        var removedId = await cluster.IdOfAsync(removedMember);
        var removed = CommandResult.AssertOk(await cluster.RemoveMemberAsync(removedMember));
        Assert.Contains($"Member {removedId,16:x} removed from cluster ", removed.StdOut);
        var members = await cluster.MemberListAsync();
        Assert.Equal(new[] { leader.Name, updatedMember.Name }.Order(), members.Select(member => member.Name).Order());
        // A removed member learns that it is out and shuts itself down.
        await removedMember.Process.WaitForExitAsync(TimeSpan.FromSeconds(15));

        // Two voters left: both must take part in every commit, the updated one reached at its new URL.
        var put = CommandResult.AssertOk(await updatedMember.Etcdctl.RunAsync("put", "members/two", "2", "-w", "json"));
        var statuses = await cluster.WaitForSameRaftIndexAsync();
        Assert.Equal(2, statuses.Count);
        foreach (var member in cluster.Members)
        {
            var get = CommandResult.AssertOk(await member.Etcdctl.RunAsync("get", "members/two", "--consistency=s", "-w", "json"));
            Assert.Equal(("2", KvJson.HeaderRevision(put.StdOut)), KvJson.KeyValues(get.StdOut)["members/two"]);
        }
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_voter_added_with_member_add_joins_with_existing_state_and_catches_up(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind);
        var writes = new List<(string Key, long Revision)>();
        for (var i = 0; i < 5; i++)
        {
            var put = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("put", $"members/voter/{i}", "v", "-w", "json"));
            writes.Add(($"members/voter/{i}", KvJson.HeaderRevision(put.StdOut)));
        }

        var voter = await cluster.AddMemberAsync("m4", learner: false);
        var listed = Assert.Single(await cluster.MemberListAsync(), member => member.Id == voter.Id);
        Assert.Equal(("", false), (listed.Name, listed.IsLearner));
        await voter.Member.StartAsync(ClusterNodes.StartTimeout);

        var statuses = await cluster.WaitForSameRaftIndexAsync();
        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, status => Assert.False(status.IsLearner));
        var members = await cluster.MemberListAsync();
        Assert.Equal(new[] { "m1", "m2", "m3", "m4" }, members.Select(member => member.Name).Order());
        Assert.Equal(new[] { voter.Member.ClientUrl }, Assert.Single(members, member => member.Id == voter.Id).ClientUrls);

        var local = CommandResult.AssertOk(await voter.Member.Etcdctl.RunAsync("get", "members/voter/", "--prefix", "--consistency=s", "-w", "json"));
        var kvs = KvJson.KeyValues(local.StdOut);
        Assert.Equal(writes, writes.Where(write => kvs.TryGetValue(write.Key, out var kv) && kv.ModRevision == write.Revision));
        CommandResult.AssertOk(await voter.Member.Etcdctl.RunAsync("put", "members/voter/joined", "4"));
    }

    /// <summary>
    /// Promotes through the voters (a learner refuses the request itself, in etcd as here), again while the cluster
    /// answers that the learner has not caught up yet.
    /// </summary>
    private static async Task<CommandResult> PromoteWhenInSyncAsync(ClusterNodes cluster, MemberAddition learner)
    {
        var voters = ClusterNodes.EtcdctlFor(cluster.Running.Where(member => member != learner.Member).ToArray());
        var deadline = DateTime.UtcNow + ClusterNodes.SettleTimeout;
        while (true)
        {
            var result = await ClusterNodes.ReconfigureAsync(voters, "member", "promote", learner.HexId);
            if (result.ExitCode == 0 || !result.StdErr.Contains(NotInSync) || DateTime.UtcNow > deadline)
            {
                return CommandResult.AssertOk(result);
            }
            await Task.Delay(100);
        }
    }

    /// <summary>One gRPC call, because etcdctl would retry this answer for seconds before giving up.</summary>
    private static async Task AssertLearnerRefusesLinearizableReadsAsync(ClusterMember learner)
    {
        using var channel = GrpcChannel.ForAddress(learner.ClientUrl);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new KV.KVClient(channel).RangeAsync(
            new RangeRequest { Key = ByteString.CopyFromUtf8("members/before") },
            deadline: DateTime.UtcNow.AddSeconds(10)));
        Assert.Equal((StatusCode.Unavailable, "etcdserver: rpc not supported for learner"), (refused.StatusCode, refused.Status.Detail));
        var leases = await Assert.ThrowsAsync<RpcException>(async () => await new Etcdserverpb.Lease.LeaseClient(channel).LeaseLeasesAsync(
            new LeaseLeasesRequest(),
            deadline: DateTime.UtcNow.AddSeconds(10)));
        Assert.Equal((StatusCode.Unavailable, "etcdserver: rpc not supported for learner"), (leases.StatusCode, leases.Status.Detail));
    }
}
