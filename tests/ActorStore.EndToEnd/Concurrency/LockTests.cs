using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.Concurrency;

/// <summary>
/// `etcdctl lock` (a mutex made of a session lease, a key under the lock name and a watch on the key before it)
/// against real etcd and against ActorStore: mutual exclusion, hand-over on release, hand-over only after the TTL
/// when the holder dies, exec mode. The lock prints its key, "name/" and the lease id in unpadded hex, and a blank line (no value).
/// </summary>
[Collection(WatchLeaseLockCollection.Name)]
public sealed class LockTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly PairFixture _pair;
    private readonly ITestOutputHelper _output;

    public LockTests(PairFixture pair, ITestOutputHelper output)
    {
        _pair = pair;
        _output = output;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_second_contender_gets_the_lock_only_after_the_first_releases_it(MemberKind kind)
    {
        var node = Node(kind);
        var name = Unique("lk-release");
        await using var first = EtcdctlProcess.Start(node.Etcdctl, "lock", name);
        var firstKey = await LockCommands.HeldKeyAsync(first, name);
        await using var second = EtcdctlProcess.Start(node.Etcdctl, "lock", name);
        Assert.False(await second.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromSeconds(1)), "both hold the lock\n" + second.Describe());

        first.Interrupt();
        var released = await first.WaitForExitAsync(Wait);
        Assert.True(released.ExitCode == 0, released.ToString());
        Assert.Equal(firstKey + "\n\n", released.StdOut);
        var secondKey = await LockCommands.HeldKeyAsync(second, name);
        Assert.NotEqual(firstKey, secondKey);
        var keys = CommandResult.AssertOk(await node.Etcdctl.RunAsync("get", name, "--prefix", "--keys-only"));
        Assert.Equal(secondKey + "\n\n", keys.StdOut);

        second.Terminate();
        Assert.Equal(0, (await second.WaitForExitAsync(Wait)).ExitCode);
        var left = CommandResult.AssertOk(await node.Etcdctl.RunAsync("get", name, "--prefix", "--keys-only"));
        Assert.Equal("", left.StdOut);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Death_of_a_lock_holder_frees_the_lock_after_its_ttl(MemberKind kind)
    {
        const int ttl = 3;
        var node = Node(kind);
        var name = Unique("lk-death");
        await using var holder = EtcdctlProcess.Start(node.Etcdctl, "lock", "--ttl=" + ttl, name);
        await LockCommands.HeldKeyAsync(holder, name);
        await using var waiter = EtcdctlProcess.Start(node.Etcdctl, "lock", name);
        await Task.Delay(300); // the waiter has queued behind the holder

        holder.KillHard();
        var clock = Stopwatch.StartNew();
        // The holder's session renewed its lease every TTL/3, so at least 2 of the 3 seconds were left at the kill.
        var early = await waiter.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromSeconds(ttl - 1.5));
        Assert.False(early, $"the lock changed hands {clock.Elapsed} after its holder died, before its TTL\n{waiter.Describe()}");
        await LockCommands.HeldKeyAsync(waiter, name, TimeSpan.FromSeconds(ttl + 3));
        _output.WriteLine($"{kind}: the lock changed hands {clock.Elapsed.TotalMilliseconds:F0} ms after its holder was killed (TTL {ttl} s)");

        waiter.Interrupt();
        Assert.Equal(0, (await waiter.WaitForExitAsync(Wait)).ExitCode);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Exec_mode_runs_the_command_under_the_lock_and_releases_it(MemberKind kind)
    {
        var node = Node(kind);
        var name = Unique("lk-exec");
        var hi = await node.Etcdctl.RunAsync("lock", name, "--", "echo", "hi");
        Assert.True(hi.ExitCode == 0 && hi.StdOut == "hi\n", hi.ToString());
        var environment = await node.Etcdctl.RunAsync("lock", name, "--", "sh", "-c", "echo \"$ETCD_LOCK_KEY $ETCD_LOCK_REV\"");
        Assert.Matches($"^{Regex.Escape(name)}/[0-9a-f]{{1,16}} [1-9][0-9]*\n$", environment.StdOut);
        var failing = await node.Etcdctl.RunAsync("lock", name, "--", "false");
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("Error: exit status 1", failing.StdErr);
        var noName = await node.Etcdctl.RunAsync("lock");
        Assert.Equal(128, noName.ExitCode);
        Assert.Contains("Error: lock takes a lock name argument and an optional command to execute", noName.StdErr);
        var left = CommandResult.AssertOk(await node.Etcdctl.RunAsync("get", name, "--prefix", "--keys-only"));
        Assert.Equal("", left.StdOut);

        // While another holds the lock the command waits, and runs once the holder lets go.
        await using var holder = EtcdctlProcess.Start(node.Etcdctl, "lock", name);
        await LockCommands.HeldKeyAsync(holder, name);
        await using var exec = EtcdctlProcess.Start(node.Etcdctl, "lock", name, "--", "echo", "after");
        Assert.False(await exec.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromMilliseconds(700)), exec.Describe());
        holder.Interrupt();
        var ran = await exec.WaitForExitAsync(Wait);
        Assert.True(ran.ExitCode == 0 && ran.StdOut == "after\n", ran.ToString());
    }

    private MemberNode Node(MemberKind kind) => kind == MemberKind.Etcd ? _pair.Etcd : _pair.ActorStore;

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
}
