using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// KV commands through a FOLLOWER of a three-member cluster, compared command by command with the same commands
/// through a follower of a three-member real etcd: forwarding to the leader must not change a single answer.
/// With <see cref="MemberKind.Etcd"/> both sides are real etcd, which checks that the comparison itself is sound.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterKvDifferentialTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Kv_commands_through_a_follower_answer_as_through_a_reference_follower(MemberKind kind)
    {
        var starting = new[] { ClusterNodes.StartAsync(MemberKind.Etcd), ClusterNodes.StartAsync(kind) };
        try
        {
            await Task.WhenAll(starting);
            var reference = await FollowerAsync(starting[0].Result);
            var candidate = await FollowerAsync(starting[1].Result);
            await RunCommandsAsync(reference.Etcdctl, candidate.Etcdctl);
        }
        finally
        {
            foreach (var cluster in starting.Where(task => task.IsCompletedSuccessfully))
            {
                await cluster.Result.DisposeAsync();
            }
        }
    }

    private static async Task<ClusterMember> FollowerAsync(ClusterNodes cluster)
    {
        var leader = await cluster.LeaderAsync();
        return cluster.Members.First(member => member != leader);
    }

    private static async Task RunCommandsAsync(Etcdctl reference, Etcdctl candidate)
    {
        Task<CommandResult> Same(params string[] args) => ClusterDifferential.SameAsync(reference, candidate, args);
        Task<CommandResult> SameWithInput(string stdin, params string[] args) =>
            ClusterDifferential.SameWithInputAsync(reference, candidate, stdin, args);

        await Same("put", "f/a", "1");
        await Same("put", "f/b", "2", "-w", "json");
        await Same("put", "f/c", "3");
        await Same("put", "f/a", "10", "--prev-kv", "-w", "json");
        await Same("put", "f/b", "--ignore-value", "--prev-kv");
        await Same("put", "f/missing", "--ignore-value");
        await Same("put", "f/lease", "v", "--lease=1234");
        await Same("get", "f/a", "-w", "json");
        await Same("get", "f/a", "-w", "fields");
        await Same("get", "f/", "--prefix", "-w", "table");
        await Same("get", "f/", "--prefix", "--limit=2", "--order=DESCEND", "--sort-by=MODIFY", "-w", "json");
        await Same("get", "f/", "--prefix", "--count-only", "-w", "json");
        await Same("get", "f/", "--prefix", "--keys-only", "--consistency=s");
        await Same("get", "f/a", "--rev=2", "-w", "json");
        await Same("get", "f/a", "--rev=1000");
        await SameWithInput("value(\"f/a\") = \"10\"\n\nput f/a \"11\"\nget f/b\n\nput f/a \"failure\"\n\n", "txn", "-w", "json");
        await SameWithInput("mod(\"f/c\") > \"100\"\n\nput f/c \"x\"\n\ndel f/b --prev-kv\n\n", "txn");
        await Same("del", "f/c", "--prev-kv", "-w", "json");
        await Same("del", "f/nothing");
        await Same("compaction", "4");
        await Same("get", "f/a", "--rev=3");
        await Same("compaction", "2");
        await Same("del", "f/", "--prefix", "--prev-kv", "-w", "json");
        await Same("get", "f/", "--prefix", "--consistency=s", "-w", "json");
        var last = await Same("get", "", "--from-key", "-w", "json");
        Assert.Contains("\"revision\":", last.StdOut);
    }
}
