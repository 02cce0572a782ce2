using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.V2;

/// <summary>
/// ETCDCTL_API=2 etcdctl against ActorStore and etcd 3.4.23 with --enable-v2: the same commands print the same
/// output and exit the same way, once member ids, ports and indexes are set aside.
/// </summary>
[Collection("differential")]
public sealed partial class V2EtcdctlTests(V2PairFixture pair) : IClassFixture<V2PairFixture>
{
    private async Task<CommandResult> Same(params string[] args)
    {
        var etcd = await new EtcdctlV2(pair.Etcd.ClientUrl).RunAsync(args);
        var actorStore = await new EtcdctlV2(pair.ActorStore.ClientUrl).RunAsync(args);
        var what = string.Join(' ', args);
        Assert.True(etcd.ExitCode == actorStore.ExitCode, $"{what}: etcd {etcd} but ActorStore {actorStore}");
        Assert.Equal(Normalize(etcd.StdOut, pair.Etcd), Normalize(actorStore.StdOut, pair.ActorStore));
        Assert.Equal(Normalize(etcd.StdErr, pair.Etcd), Normalize(actorStore.StdErr, pair.ActorStore));
        return actorStore;
    }

    private static string Normalize(string output, MemberNode node)
    {
        var text = output.Replace(node.ClientUrl, "CLIENT").Replace(node.PeerUrl, "PEER");
        text = MemberId().Replace(text, "ID");
        return Index().Replace(text, "[N]");
    }

    [Fact]
    public async Task Set_get_mk_update_ls_rm_and_their_errors_print_as_etcds()
    {
        Assert.Equal("bar\n", (await Same("set", "/ctl/foo", "bar")).StdOut);
        Assert.Equal("bar\n", (await Same("get", "/ctl/foo")).StdOut);
        await Same("mk", "/ctl/foo", "again");
        await Same("mk", "/ctl/new", "made");
        await Same("update", "/ctl/foo", "baz");
        await Same("update", "/ctl/none", "baz");
        await Same("mkdir", "/ctl/dir");
        await Same("mkdir", "/ctl/dir");
        await Same("set", "/ctl/dir/inner", "x");
        await Same("ls", "/ctl", "--sort");
        await Same("ls", "/ctl", "--sort", "--recursive");
        await Same("get", "/ctl/missing");
        await Same("rm", "/ctl/foo");
        await Same("rmdir", "/ctl/dir");
        await Same("rm", "/ctl/dir", "--recursive");
        await Same("set", "/ctl/ttl", "v", "--ttl", "60");
        await Same("get", "/ctl/ttl");
    }

    [Fact]
    public async Task Cluster_health_and_member_list_see_the_one_member()
    {
        var health = await Same("cluster-health");
        Assert.Contains("cluster is healthy", health.StdOut);
        var members = await Same("member", "list");
        Assert.Contains("isLeader=true", members.StdOut);
    }

    [Fact]
    public async Task Watch_prints_the_next_change_and_exits()
    {
        await Same("set", "/ctlwatch/key", "before");
        var etcdWatch = new EtcdctlV2(pair.Etcd.ClientUrl).RunAsync("watch", "/ctlwatch/key");
        var actorStoreWatch = new EtcdctlV2(pair.ActorStore.ClientUrl).RunAsync("watch", "/ctlwatch/key");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(etcdWatch.IsCompleted || actorStoreWatch.IsCompleted);

        await Same("set", "/ctlwatch/key", "after");
        var (etcd, actorStore) = (await etcdWatch, await actorStoreWatch);
        Assert.Equal((etcd.ExitCode, etcd.StdOut), (actorStore.ExitCode, actorStore.StdOut));
        Assert.Equal("after\n", actorStore.StdOut);
    }

    [GeneratedRegex("\\b[0-9a-f]{12,16}\\b")]
    private static partial Regex MemberId();

    [GeneratedRegex("\\[[0-9]+\\]")]
    private static partial Regex Index();
}
