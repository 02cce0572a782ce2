using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Upkeep;

/// <summary>
/// Corruption checks on a three-member ActorStore cluster whose third member was made to differ: through the testing
/// seam actorstore.testing.diverge-put-key (in a HOCON config file), m3 applies every put of one key with one byte more
/// than the log says, so its keyspace and its HashKV really differ from the others'. The leader's periodic check
/// (--experimental-corrupt-check-time) then raises CORRUPT for member 0 through the log, and every request fails with
/// etcd's "corrupt cluster"; on restart with --experimental-initial-corrupt-check m3 refuses to start, as etcd does.
/// </summary>
public sealed class CorruptionCheckTests
{
    private const string DivergedKey = "corrupt/key";

    private static ClusterSpec WithDivergentThirdMember(TempDir files, string[] everyMember, string[] thirdMember)
    {
        var hocon = Path.Combine(files.Path, "diverge.hocon");
        File.WriteAllText(hocon, $"actorstore.testing.diverge-put-key = \"{DivergedKey}\"\n");
        return new ClusterSpec { ExtraArgs = everyMember, MemberArgs = name => name == "m3" ? ["--config-file", hocon, .. thirdMember] : [] };
    }

    private static async Task<int?> ExitCodeAsync(ClusterMember member)
    {
        try
        {
            return await member.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task The_periodic_check_raises_corrupt_and_then_every_request_fails()
    {
        using var files = new TempDir();
        await using var cluster = await ClusterNodes.StartAsync(MemberKind.ActorStore,
            WithDivergentThirdMember(files, ["--experimental-corrupt-check-time", "1s"], []));
        CommandResult.AssertOk(await cluster[0].Etcdctl.RunAsync("put", "fine", "1"));
        await Task.Delay(2500);
        Assert.Equal("", (await cluster[0].Etcdctl.RunAsync("alarm", "list")).StdOut);

        CommandResult.AssertOk(await cluster[0].Etcdctl.RunAsync("put", DivergedKey, "v"));
        await Eventually.GetAsync(
            async () => (await cluster[0].Etcdctl.RunAsync("alarm", "list")).StdOut is var listed && listed.Contains("alarm:CORRUPT") ? listed : null,
            TimeSpan.FromSeconds(20), cluster.Logs);

        // Member 0 is the cluster; etcdctl, as protobuf text, leaves the zero id out.
        Assert.Equal("alarm:CORRUPT \n", (await cluster[1].Etcdctl.RunAsync("alarm", "list")).StdOut);
        var put = await cluster[0].Etcdctl.RunAsync("put", "after", "1");
        Assert.Contains("Error: etcdserver: corrupt cluster", put.StdErr);
        var leader = await cluster.LeaderAsync();
        Assert.Contains("finished peer corruption check", leader.OutputTail(400));
    }

    [Fact]
    public async Task A_member_whose_data_differs_refuses_to_restart_with_the_initial_check()
    {
        using var files = new TempDir();
        await using var cluster = await ClusterNodes.StartAsync(MemberKind.ActorStore,
            WithDivergentThirdMember(files, [], ["--experimental-initial-corrupt-check"]));
        CommandResult.AssertOk(await cluster[0].Etcdctl.RunAsync("put", "fine", "1"));
        await cluster.WaitForSameRaftIndexAsync();

        // While its data still agrees, the member passes the check and serves again.
        await cluster.RestartAsync(2);
        Assert.Contains("initial corruption checking passed; no corruption", cluster[2].OutputTail(400));

        CommandResult.AssertOk(await cluster[0].Etcdctl.RunAsync("put", DivergedKey, "v"));
        // Later writes carry the commit of the diverged one into m3's journal (the commit index is stored lazily).
        CommandResult.AssertOk(await cluster[0].Etcdctl.RunAsync("put", "later", "1"));
        CommandResult.AssertOk(await cluster[0].Etcdctl.RunAsync("put", "later", "2"));
        await cluster.WaitForSameRaftIndexAsync();
        var diverged = await cluster[2].Etcdctl.RunAsync("get", DivergedKey, "--consistency=s", "--print-value-only");
        Assert.Equal("v!\n", diverged.StdOut);
        await cluster.StopAsync(2);
        cluster[2].Launch();
        var exitCode = await ExitCodeAsync(cluster[2]);
        Assert.True(exitCode is not null and not 0, cluster[2].OutputTail(60));
        Assert.Contains("found data inconsistency with peers", cluster[2].OutputTail(400));
        Assert.Contains("found different hash values from remote peer", cluster[2].OutputTail(400));
    }
}
