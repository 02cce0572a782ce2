using System.Diagnostics;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Lease;

/// <summary>
/// A lease on a three-member cluster is one lease whichever member is asked: granted through one member, kept alive
/// through a follower past its TTL, read through the third, attached to a key written through another; once its
/// keep-alive stops it expires and its key goes on every member.
/// </summary>
[Collection(WatchLeaseLockClusterCollection.Name)]
public sealed class ClusterLeaseTests
{
    private readonly SharedClusters _clusters;

    public ClusterLeaseTests(SharedClusters clusters)
    {
        _clusters = clusters;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_lease_granted_on_one_member_is_kept_alive_through_a_follower_and_read_through_another(MemberKind kind)
    {
        const int ttl = 3;
        var cluster = await _clusters.GetAsync(kind);
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Members.Where(member => member != leader).ToArray();
        var key = $"cl-{Guid.NewGuid():N}"[..11];
        var transcript = new Transcript();

        var id = await LeaseCommands.GrantAsync(transcript, followers[0].Etcdctl, ttl.ToString());
        Assert.Matches("^lease [0-9a-f]{1,16} granted with TTL\\(3s\\)\n$", transcript.ToString().Split('\n', 2)[1]);
        CommandResult.AssertOk(await leader.Etcdctl.RunAsync("put", key, "v", "--lease=" + id));
        var once = CommandResult.AssertOk(await followers[1].Etcdctl.RunAsync("lease", "keep-alive", "--once", id));
        Assert.Equal($"lease {id} keepalived with TTL({ttl})\n", once.StdOut);

        await using (var keepAlive = EtcdctlProcess.Start(followers[1].Etcdctl, "lease", "keep-alive", id))
        {
            // Five renewals span four seconds, more than the TTL.
            await keepAlive.WaitForAsync(lines => lines.Count >= 5, TimeSpan.FromSeconds(8), "five renewals");
            Assert.All(keepAlive.Lines.Take(5), line => Assert.Equal($"lease {id} keepalived with TTL({ttl})", line));
            var alive = CommandResult.AssertOk(await followers[0].Etcdctl.RunAsync("lease", "timetolive", id, "--keys"));
            Assert.Equal($"lease {id} granted with TTL({ttl}s), remaining(~s), attached keys([{key}])\n", RemainingTtl.Normalize(alive.StdOut));
            var value = CommandResult.AssertOk(await leader.Etcdctl.RunAsync("get", key, "--print-value-only"));
            Assert.Equal("v\n", value.StdOut);
        }

        // No more renewals: the key goes within the TTL and a few seconds, on every member.
        var clock = Stopwatch.StartNew();
        foreach (var member in cluster.Members)
        {
            await Eventually.GetAsync(
                async () => (await member.Etcdctl.RunAsync("get", key, "--consistency=s", "--keys-only")).StdOut == "" ? "gone" : null,
                TimeSpan.FromSeconds(ttl + 4),
                () => $"{key} gone from {member.Name} after its lease expired");
        }
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1), $"the key went {clock.Elapsed} after the last renewal");
        var expired = await followers[1].Etcdctl.RunAsync("lease", "timetolive", id);
        Assert.Equal($"lease {id} already expired\n", expired.StdOut);
        var revoke = await leader.Etcdctl.RunAsync("lease", "revoke", id);
        Assert.Equal(1, revoke.ExitCode);
        Assert.Contains("Error: failed to revoke lease (etcdserver: requested lease not found)", revoke.StdErr);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_kept_alive_lease_outlives_the_death_of_the_leader_and_expires_on_the_next_one(MemberKind kind)
    {
        const int ttl = 3;
        var cluster = await _clusters.GetAsync(kind);
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Members.Where(member => member != leader).ToArray();
        var key = $"lc-{Guid.NewGuid():N}"[..11];
        var transcript = new Transcript();
        try
        {
            var id = await LeaseCommands.GrantAsync(transcript, followers[0].Etcdctl, ttl.ToString());
            CommandResult.AssertOk(await followers[0].Etcdctl.RunAsync("put", key, "v", "--lease=" + id));
            await using (var keepAlive = EtcdctlProcess.Start(followers[1].Etcdctl, "lease", "keep-alive", id))
            {
                await keepAlive.WaitForAsync(lines => lines.Count >= 1, TimeSpan.FromSeconds(5), "a first renewal");
                await leader.KillHardAsync();
                await cluster.LeaderAsync();
                var renewalsAtKill = keepAlive.Lines.Count;
                // Renewals go on through the surviving follower for longer than the TTL.
                await keepAlive.WaitForAsync(lines => lines.Count >= renewalsAtKill + 5, TimeSpan.FromSeconds(10), "renewals after the leader died");
                Assert.All(keepAlive.Lines, line => Assert.Equal($"lease {id} keepalived with TTL({ttl})", line));
                var value = CommandResult.AssertOk(await followers[0].Etcdctl.RunAsync("get", key, "--print-value-only"));
                Assert.Equal("v\n", value.StdOut);
            }

            // Without renewals the new leader expires it, on both surviving members.
            foreach (var member in followers)
            {
                await Eventually.GetAsync(
                    async () => (await member.Etcdctl.RunAsync("get", key, "--consistency=s", "--keys-only")).StdOut == "" ? "gone" : null,
                    TimeSpan.FromSeconds(ttl + 6),
                    () => $"{key} gone from {member.Name} after its lease expired under the new leader");
            }
            var expired = await followers[1].Etcdctl.RunAsync("lease", "timetolive", id);
            Assert.Equal($"lease {id} already expired\n", expired.StdOut);
        }
        finally
        {
            await cluster.RestoreAsync(leader);
        }
    }
}
