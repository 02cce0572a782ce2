using System.Text.Json;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>kill -9 right after an acknowledged write, restart: the write is there, at the same revision.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Acknowledged_put_survives_kill_9_with_its_revision()
    {
        await using var node = await MemberNode.StartAsync(MemberKind.ActorStore);
        var acknowledged = new List<(string Key, string Value, long Revision)>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                var key = $"durable/{round}/{i}";
                var put = await node.Etcdctl.RunAsync("put", key, "value-" + i, "-w", "json");
                Assert.True(put.ExitCode == 0, put.ToString());
                acknowledged.Add((key, "value-" + i, HeaderRevision(put.StdOut)));
            }
            await node.KillHardAsync();
            await node.RestartAsync();
            foreach (var (key, value, revision) in acknowledged)
            {
                var get = await node.Etcdctl.RunAsync("get", key, "-w", "json");
                var kv = JsonDocument.Parse(get.StdOut).RootElement.GetProperty("kvs")[0];
                Assert.Equal(value, System.Text.Encoding.UTF8.GetString(kv.GetProperty("value").GetBytesFromBase64()));
                Assert.Equal(revision, kv.GetProperty("mod_revision").GetInt64());
            }
        }
        var last = await node.Etcdctl.RunAsync("put", "durable/after", "x", "-w", "json");
        Assert.Equal(acknowledged[^1].Revision + 1, HeaderRevision(last.StdOut));
    }

    [Fact]
    public async Task Compaction_and_deletes_survive_a_restart()
    {
        await using var node = await MemberNode.StartAsync(MemberKind.ActorStore, "--snapshot-count=7");
        for (var i = 0; i < 20; i++)
        {
            CommandResult.AssertOk(await node.Etcdctl.RunAsync("put", "snap/" + (i % 4), "v" + i));
        }
        CommandResult.AssertOk(await node.Etcdctl.RunAsync("del", "snap/0"));
        CommandResult.AssertOk(await node.Etcdctl.RunAsync("compaction", "10"));
        var before = await node.Etcdctl.RunAsync("get", "snap/", "--prefix", "-w", "json");
        await node.KillHardAsync();
        await node.RestartAsync();
        var after = await node.Etcdctl.RunAsync("get", "snap/", "--prefix", "-w", "json");
        Assert.Equal(Differential.Normalize(before.StdOut), Differential.Normalize(after.StdOut));
        var compacted = await node.Etcdctl.RunAsync("get", "snap/1", "--rev=9");
        Assert.Contains("required revision has been compacted", compacted.StdErr);
    }

    private static long HeaderRevision(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("header").GetProperty("revision").GetInt64();
}
