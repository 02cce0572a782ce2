using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>Checks the peer TLS test classes share: a cluster formed over https peer URLs, and a member turning a connection away.</summary>
public static class PeerTlsAssertions
{
    /// <summary>
    /// Three members listed with their https peer URLs, one leader, and a write through each member read back through
    /// every member (linearizable, then from its own state), all over the members' plain http client URLs.
    /// </summary>
    public static async Task FormedAndReplicatingAsync(ClusterNodes cluster, string keyPrefix)
    {
        var members = await cluster.MemberListAsync();
        Assert.Equal(new[] { "m1", "m2", "m3" }, members.Select(member => member.Name).Order());
        foreach (var member in cluster.Members)
        {
            var listed = Assert.Single(members, info => info.Name == member.Name);
            Assert.Equal(new[] { member.PeerUrl }, listed.PeerUrls);
            Assert.StartsWith("https://", member.PeerUrl);
        }
        var statuses = await cluster.WaitForSameRaftIndexAsync();
        Assert.Equal(3, statuses.Count);
        Assert.Single(statuses, status => status.IsLeader);

        var written = new Dictionary<string, string>();
        foreach (var member in cluster.Members)
        {
            var key = keyPrefix + member.Name;
            var value = "through-" + member.Name + "-" + Guid.NewGuid().ToString("N")[..8];
            CommandResult.AssertOk(await member.Etcdctl.RunAsync("put", key, value));
            written[key] = value;
        }
        foreach (var member in cluster.Members)
        {
            foreach (var consistency in new[] { "--consistency=l", "--consistency=s" })
            {
                var get = CommandResult.AssertOk(await member.Etcdctl.RunAsync("get", keyPrefix, "--prefix", consistency, "-w", "json"));
                var kvs = KvJson.KeyValues(get.StdOut);
                Assert.Equal(written.OrderBy(kv => kv.Key), kvs.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Value)).OrderBy(kv => kv.Key));
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="member"/> logs a rejected connection matching <paramref name="match"/>, among those
    /// after the first <paramref name="skip"/> it logged.
    /// </summary>
    public static Task<RejectedConnection> RejectionAsync(ClusterMember member, int skip, Func<RejectedConnection, bool> match, string what) =>
        Eventually.GetAsync(
            () => Task.FromResult(RejectedConnection.In(member.Process.Output).Skip(skip).FirstOrDefault(match)),
            // Generous: on a loaded two-core machine a member has been seen to take over 5 s to finish a refused handshake.
            TimeSpan.FromSeconds(15),
            () => $"{member.Name} logging \"{RejectedConnection.Message}\" for {what}; it logged:\n" +
                string.Join('\n', RejectedConnection.In(member.Process.Output).TakeLast(5)) + "\n" + member.OutputTail());
}
