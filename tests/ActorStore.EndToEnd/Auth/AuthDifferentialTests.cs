using ActorStore.EndToEnd.Infrastructure;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.EndToEnd.Auth;

/// <summary>
/// The seeds' auth walk-through with etcdctl against ActorStore and real etcd 3.4.23, command by command: the same
/// output, the same errors. The pair is this class's own, since auth, once enabled, changes every later answer.
/// </summary>
public sealed class AuthDifferentialTests : IClassFixture<PairFixture>
{
    private const string Root = "root:rootpw";
    private readonly PairFixture _pair;

    public AuthDifferentialTests(PairFixture pair)
    {
        _pair = pair;
    }

    private Task<CommandResult> Same(params string[] args) => Differential.SameAsync(_pair, args);

    private Task<CommandResult> SameWithInput(string stdin, params string[] args) => Differential.SameWithInputAsync(_pair, stdin, args);

    private Task<CommandResult> AsRoot(params string[] args) => Same(["--user", Root, .. args]);

    private Task<CommandResult> AsAlice(params string[] args) => Same(["--user", "alice:alicepw", .. args]);

    [Fact]
    public async Task Root_set_up_then_a_prefix_reader_reads_its_prefix_only_and_revocations_apply_at_once()
    {
        await Same("auth", "enable");
        await Same("role", "add", "root");
        await Same("user", "add", Root, "--interactive=false");
        await Same("auth", "enable");
        await Same("user", "grant-role", "root", "root");
        await Same("auth", "enable");
        await Same("auth", "enable");

        await Same("put", "foo1", "v");
        await Same("get", "foo1");
        await AsRoot("put", "foo1", "v1");
        await AsRoot("put", "bar", "b");
        await AsRoot("get", "foo1", "-w", "json");
        await Same("--user", "root:wrong", "get", "foo1");
        await Same("--user", "nobody:pw", "get", "foo1");

        await AsRoot("role", "add", "reader");
        await AsRoot("role", "grant-permission", "reader", "read", "foo", "--prefix=true");
        await AsRoot("user", "add", "alice:alicepw", "--interactive=false");
        await AsRoot("user", "grant-role", "alice", "reader");
        await AsAlice("get", "foo", "--prefix");
        await AsAlice("get", "foo1", "--consistency=s");
        await AsAlice("get", "bar");
        await AsAlice("get", "", "--from-key");
        await AsAlice("put", "foo1", "x");
        await AsAlice("del", "foo1");
        await SameWithInput("value(\"bar\") = \"b\"\n\nget foo1\n\n\n", ["--user", "alice:alicepw", "txn", "--interactive=false"]);
        await SameWithInput("value(\"foo1\") = \"v1\"\n\nget foo1\n\nget foo2\n\n", ["--user", "alice:alicepw", "txn", "--interactive=false"]);
        await SameWithInput("value(\"foo1\") = \"v1\"\n\nput foo1 y\n\n\n", ["--user", "alice:alicepw", "txn", "--interactive=false"]);
        await AsAlice("watch", "bar");
        await AsAlice("watch", "a", "c");

        await AsAlice("user", "get", "alice");
        await AsAlice("role", "get", "reader");
        await AsAlice("user", "list");
        await AsAlice("role", "list");
        await AsAlice("user", "get", "root");
        await AsRoot("user", "list");
        await AsRoot("role", "list");
        await AsRoot("role", "get", "reader");
        await AsRoot("user", "get", "alice");
        await AsRoot("user", "get", "alice", "--detail");

        // A revoked permission counts from the next request on; so does a revoked role.
        await AsRoot("role", "grant-permission", "reader", "readwrite", "foo2");
        await AsAlice("put", "foo2", "w");
        await AsRoot("role", "revoke-permission", "reader", "foo2");
        await AsAlice("put", "foo2", "w2");
        await AsRoot("user", "revoke-role", "alice", "reader");
        await AsAlice("get", "foo1");
        await AsRoot("user", "grant-role", "alice", "reader");
        await AsAlice("get", "foo1");

        // The old password stops working once changed.
        await SameWithInput("newpw\n", ["--user", Root, "user", "passwd", "alice", "--interactive=false"]);
        await AsAlice("get", "foo1");
        await Same("--user", "alice:newpw", "get", "foo1");

        await AsRoot("auth", "disable");
        await Same("get", "foo1");
    }

    [Fact]
    public async Task Each_auth_error_reads_as_in_etcd()
    {
        await Same("role", "add", "root");
        await Same("user", "add", Root, "--interactive=false");
        await Same("user", "grant-role", "root", "root");
        await Same("role", "add", "writer");
        await Same("role", "add", "writer");
        await Same("user", "add", "bob:bobpw", "--interactive=false");
        await Same("user", "add", "bob:other", "--interactive=false");
        await Same("user", "add", "carol", "--no-password");
        await Same("user", "grant-role", "bob", "nosuch");
        await Same("user", "grant-role", "nosuch", "writer");
        await Same("user", "grant-role", "bob", "writer");
        await Same("user", "grant-role", "bob", "writer");
        await Same("user", "revoke-role", "bob", "nosuch");
        await Same("user", "revoke-role", "nosuch", "writer");
        await Same("role", "revoke-permission", "writer", "nokey");
        await Same("role", "revoke-permission", "nosuch", "nokey");
        await Same("role", "grant-permission", "nosuch", "read", "k");
        await Same("role", "grant-permission", "writer", "write", "w", "x");
        await Same("role", "grant-permission", "writer", "readwrite", "w", "x");
        await Same("role", "get", "writer");
        await Same("role", "get", "nosuch");
        await Same("user", "get", "nosuch");
        await Same("user", "delete", "nosuch");
        await Same("role", "delete", "nosuch");
        await Same("auth", "enable");

        await AsRoot("user", "delete", "root");
        await AsRoot("role", "delete", "root");
        await AsRoot("user", "revoke-role", "root", "root");
        await Same("--user", "carol:", "get", "k");
        await Same("--user", "bob:bobpw", "user", "add", "eve:pw", "--interactive=false");
        await Same("--user", "bob:bobpw", "put", "w1", "v");
        await Same("--user", "bob:bobpw", "get", "w1");
        await Same("--user", "bob:bobpw", "member", "remove", "1234");
        await Same("--user", "bob:bobpw", "endpoint", "hashkv");
        using (var snapshots = new TempDir())
        {
            // A snapshot is root's only; root's own one is saved by both.
            await Same("--user", "bob:bobpw", "snapshot", "save", Path.Combine(snapshots.Path, "bob.db"));
            await AsRoot("snapshot", "save", Path.Combine(snapshots.Path, "root.db"));
        }

        await Same("--user", "bob:bobpw", "lock", "zz-lock");
        await Same("--user", "bob:bobpw", "elect", "zz-election", "me");
        await Same("--user", "bob:bobpw", "elect", "-l", "zz-election");
        await AsRoot("role", "delete", "writer");
        await AsRoot("user", "get", "bob");
        await Same("--user", "bob:bobpw", "put", "w1", "v");
        await AsRoot("user", "delete", "bob");
        await Same("--user", "bob:bobpw", "get", "w1");
        await AsRoot("auth", "disable");
        await Same("auth", "disable");
        await Same("user", "delete", "root");
    }

    [Fact]
    public async Task A_held_token_dies_with_a_password_change_and_a_watch_on_a_forbidden_range_is_canceled()
    {
        await Same("role", "add", "root");
        await Same("user", "add", Root, "--interactive=false");
        await Same("user", "grant-role", "root", "root");
        await Same("role", "add", "dreader");
        await Same("role", "grant-permission", "dreader", "read", "d", "--prefix=true");
        await Same("user", "add", "dave:davepw", "--interactive=false");
        await Same("user", "grant-role", "dave", "dreader");
        await Same("auth", "enable");

        using var etcd = GrpcChannel.ForAddress(_pair.Etcd.ClientUrl);
        using var ours = GrpcChannel.ForAddress(_pair.ActorStore.ClientUrl);
        var etcdToken = await TokenAsync(etcd, "dave", "davepw");
        var ourToken = await TokenAsync(ours, "dave", "davepw");
        await SameOutcomeAsync(RangeAsync(etcd, etcdToken, "d1"), RangeAsync(ours, ourToken, "d1"));
        await SameOutcomeAsync(RangeAsync(etcd, etcdToken, "e1"), RangeAsync(ours, ourToken, "e1"));
        await SameOutcomeAsync(RangeAsync(etcd, "bogus.1", "d1"), RangeAsync(ours, "bogus.1", "d1"));
        Assert.Equal(await FirstWatchAnswerAsync(etcd, etcdToken, "e"), await FirstWatchAnswerAsync(ours, ourToken, "e"));
        Assert.Equal(await FirstWatchAnswerAsync(etcd, "bogus.1", "d"), await FirstWatchAnswerAsync(ours, "bogus.1", "d"));

        await SameWithInput("newpw\n", ["--user", Root, "user", "passwd", "dave", "--interactive=false"]);
        var etcdStale = await Assert.ThrowsAsync<RpcException>(() => RangeAsync(etcd, etcdToken, "d1"));
        var ourStale = await Assert.ThrowsAsync<RpcException>(() => RangeAsync(ours, ourToken, "d1"));
        Assert.Equal((etcdStale.StatusCode, etcdStale.Status.Detail), (ourStale.StatusCode, ourStale.Status.Detail));
        Assert.Equal("etcdserver: invalid auth token", ourStale.Status.Detail);

        await AsRoot("auth", "disable");
    }

    [Fact]
    public async Task Locks_and_expiring_leases_work_with_auth_on()
    {
        await Same("role", "add", "root");
        await Same("user", "add", Root, "--interactive=false");
        await Same("user", "grant-role", "root", "root");
        await Same("auth", "enable");
        foreach (var node in new[] { _pair.Etcd, _pair.ActorStore })
        {
            // The lock's own keys are written by the member for the caller; its output names a lease, so only the command's is compared.
            var locked = await node.Etcdctl.RunAsync("--user", Root, "lock", "ok-lock", "echo", "held");
            Assert.True(locked.ExitCode == 0, $"{node.Kind}: {locked}");
            Assert.EndsWith("held\n", locked.StdOut);

            // A lease that expires is revoked by the member itself, keys and all, whoever may write them.
            var granted = await node.Etcdctl.RunAsync("--user", Root, "lease", "grant", "2");
            var lease = granted.StdOut.Split(' ')[1];
            Assert.True((await node.Etcdctl.RunAsync("--user", Root, "put", "leased-" + node.Kind, "v", "--lease=" + lease)).ExitCode == 0);
            await Cluster.Eventually.GetAsync(
                async () => (await node.Etcdctl.RunAsync("--user", Root, "get", "leased-" + node.Kind)).StdOut.Length == 0 ? "gone" : null,
                TimeSpan.FromSeconds(15),
                () => $"{node.Kind}: the leased key to go with its lease");
        }
        await AsRoot("auth", "disable");
    }

    private static async Task<string> TokenAsync(GrpcChannel channel, string name, string password) =>
        (await new Etcdserverpb.Auth.AuthClient(channel).AuthenticateAsync(new AuthenticateRequest { Name = name, Password = password })).Token;

    private static async Task<string> RangeAsync(GrpcChannel channel, string token, string key)
    {
        var response = await new KV.KVClient(channel).RangeAsync(
            new RangeRequest { Key = ByteString.CopyFromUtf8(key) }, new Grpc.Core.Metadata { { "token", token } });
        return $"count={response.Count}";
    }

    private static async Task SameOutcomeAsync(Task<string> etcd, Task<string> ours)
    {
        Assert.Equal(await OutcomeAsync(etcd), await OutcomeAsync(ours));
    }

    private static async Task<string> OutcomeAsync(Task<string> call)
    {
        try
        {
            return await call;
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode}: {e.Status.Detail}";
        }
    }

    /// <summary>The first answer to a watch create, fields that identify the server aside.</summary>
    private static async Task<string> FirstWatchAnswerAsync(GrpcChannel channel, string token, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var call = new Etcdserverpb.Watch.WatchClient(channel).Watch(new Grpc.Core.Metadata { { "token", token } }, cancellationToken: timeout.Token);
        var end = ByteString.CopyFromUtf8(prefix[..^1] + (char)(prefix[^1] + 1));
        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = end } });
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var answer = call.ResponseStream.Current;
        return $"created={answer.Created} canceled={answer.Canceled} id={answer.WatchId} reason={answer.CancelReason}";
    }
}
