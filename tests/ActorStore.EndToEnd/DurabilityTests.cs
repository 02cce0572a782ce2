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
        await KillRestartRounds.RunAsync(node, "durable", rounds: 3);
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
}
