using ActorStore.EndToEnd.Cluster;
using Xunit;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// The durability check: rounds of five acknowledged puts, each round ended by kill -9 and a restart, after which every
/// write acknowledged so far is there with its value at its revision; the next write takes the next revision.
/// </summary>
public static class KillRestartRounds
{
    public static async Task RunAsync(MemberNode node, string prefix, int rounds)
    {
        var acknowledged = new List<(string Key, string Value, long Revision)>();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                var key = $"{prefix}/{round}/{i}";
                var put = await node.Etcdctl.RunAsync("put", key, "value-" + i, "-w", "json");
                Assert.True(put.ExitCode == 0, put.ToString());
                acknowledged.Add((key, "value-" + i, KvJson.HeaderRevision(put.StdOut)));
            }
            await node.KillHardAsync();
            await node.RestartAsync();
            foreach (var (key, value, revision) in acknowledged)
            {
                var get = await node.Etcdctl.RunAsync("get", key, "-w", "json");
                Assert.True(get.ExitCode == 0, get.ToString());
                Assert.Equal((value, revision), KvJson.KeyValues(get.StdOut)[key]);
            }
        }
        var last = await node.Etcdctl.RunAsync("put", prefix + "/after", "x", "-w", "json");
        Assert.Equal(acknowledged[^1].Revision + 1, KvJson.HeaderRevision(last.StdOut));
    }
}
