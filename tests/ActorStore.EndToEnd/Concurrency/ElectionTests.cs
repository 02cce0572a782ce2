using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Concurrency;

/// <summary>
/// `etcdctl elect` against real etcd and against ActorStore: a campaign prints the leader key ("name/lease-id") and
/// its proposal once elected; the next candidate leads only after the leader resigns (SIGINT); an observer (-l)
/// prints every leader's key and proposal in turn.
/// </summary>
[Collection(WatchLeaseLockCollection.Name)]
public sealed class ElectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly PairFixture _pair;

    public ElectionTests(PairFixture pair)
    {
        _pair = pair;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task The_second_candidate_leads_after_the_first_resigns_and_the_observer_sees_both(MemberKind kind)
    {
        var node = kind == MemberKind.Etcd ? _pair.Etcd : _pair.ActorStore;
        var name = $"el-{Guid.NewGuid():N}"[..11];
        await using var observer = EtcdctlProcess.Start(node.Etcdctl, "elect", "-l", name);
        await using var first = EtcdctlProcess.Start(node.Etcdctl, "elect", name, "p1");
        var firstKey = await ElectionCommands.LeaderKeyAsync(first, name, "p1");
        await using var second = EtcdctlProcess.Start(node.Etcdctl, "elect", name, "p2");
        await observer.WaitForAsync(lines => lines.Count >= 2, Wait, "the first leader observed");
        Assert.Equal([firstKey, "p1"], observer.Lines.Take(2));
        Assert.False(await second.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromSeconds(1)), "two leaders\n" + second.Describe());

        await ElectionCommands.HandOverAndEndAsync(first, firstKey, second, observer, name, node.Etcdctl, Wait);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Elect_argument_errors(MemberKind kind)
    {
        var node = kind == MemberKind.Etcd ? _pair.Etcd : _pair.ActorStore;
        var noProposal = await node.Etcdctl.RunAsync("elect", "el-args");
        Assert.Equal(128, noProposal.ExitCode);
        Assert.Contains("Error: no proposal argument but -l not set", noProposal.StdErr);
        var both = await node.Etcdctl.RunAsync("elect", "-l", "el-args", "p");
        Assert.Equal(128, both.ExitCode);
        Assert.Contains("Error: proposal given but -l is set", both.StdErr);
    }
}
