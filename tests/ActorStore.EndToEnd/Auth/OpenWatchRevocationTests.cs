using ActorStore.EndToEnd.Infrastructure;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.EndToEnd.Auth;

/// <summary>
/// A revoked permission reaches watches that are already open: the watch is canceled with etcd's refusal text at
/// once, while watches the change does not touch go on. etcd 3.4 checks a watch only when it is created (its open
/// watches keep their events after a revocation), so this is ActorStore's own behaviour and not compared with etcd.
/// </summary>
public sealed class OpenWatchRevocationTests
{
    private const string Root = "root:rootpw";
    private const string PermissionDenied = "rpc error: code = PermissionDenied desc = etcdserver: permission denied";

    [Fact]
    public async Task Revoking_a_role_cancels_the_open_watches_it_allowed_and_no_other()
    {
        await using var node = await MemberNode.StartAsync(MemberKind.ActorStore);
        async Task AsRoot(params string[] args)
        {
            var result = await node.Etcdctl.RunAsync(["--user", Root, .. args]);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        Assert.Equal(0, (await node.Etcdctl.RunAsync("role", "add", "root")).ExitCode);
        Assert.Equal(0, (await node.Etcdctl.RunAsync("user", "add", Root, "--interactive=false")).ExitCode);
        Assert.Equal(0, (await node.Etcdctl.RunAsync("user", "grant-role", "root", "root")).ExitCode);
        Assert.Equal(0, (await node.Etcdctl.RunAsync("auth", "enable")).ExitCode);
        await AsRoot("role", "add", "dreader");
        await AsRoot("role", "grant-permission", "dreader", "read", "d", "--prefix=true");
        await AsRoot("role", "add", "ereader");
        await AsRoot("role", "grant-permission", "ereader", "read", "e", "--prefix=true");
        await AsRoot("user", "add", "dave:davepw", "--interactive=false");
        await AsRoot("user", "grant-role", "dave", "dreader");
        await AsRoot("user", "grant-role", "dave", "ereader");

        using var channel = GrpcChannel.ForAddress(node.ClientUrl);
        var token = (await new Etcdserverpb.Auth.AuthClient(channel).AuthenticateAsync(new AuthenticateRequest { Name = "dave", Password = "davepw" })).Token;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = new Etcdserverpb.Watch.WatchClient(channel).Watch(new Grpc.Core.Metadata { { "token", token } }, cancellationToken: timeout.Token);
        await call.RequestStream.WriteAsync(Create(1, "d"));
        await call.RequestStream.WriteAsync(Create(2, "e"));
        var responses = call.ResponseStream;
        Assert.True(await responses.MoveNext(timeout.Token) && responses.Current is { Created: true, Canceled: false, WatchId: 1 });
        Assert.True(await responses.MoveNext(timeout.Token) && responses.Current is { Created: true, Canceled: false, WatchId: 2 });

        await AsRoot("put", "d1", "before");
        Assert.True(await responses.MoveNext(timeout.Token));
        Assert.Equal((1L, "d1"), (responses.Current.WatchId, responses.Current.Events.Single().Kv.Key.ToStringUtf8()));

        // Another user's change moves the auth revision without touching dave: both watches stay.
        await AsRoot("user", "add", "erin:erinpw", "--interactive=false");
        await AsRoot("role", "revoke-permission", "dreader", "d", "--prefix=true");
        Assert.True(await responses.MoveNext(timeout.Token));
        var canceled = responses.Current;
        Assert.Equal((1L, true, PermissionDenied), (canceled.WatchId, canceled.Canceled, canceled.CancelReason));

        // The revoked range sends nothing more; the other watch goes on.
        await AsRoot("put", "d2", "after");
        await AsRoot("put", "e1", "still");
        Assert.True(await responses.MoveNext(timeout.Token));
        Assert.Equal((2L, "e1"), (responses.Current.WatchId, responses.Current.Events.Single().Kv.Key.ToStringUtf8()));

        // A deleted user's watches end too.
        await AsRoot("user", "delete", "dave");
        Assert.True(await responses.MoveNext(timeout.Token));
        Assert.Equal((2L, true, PermissionDenied), (responses.Current.WatchId, responses.Current.Canceled, responses.Current.CancelReason));
    }

    [Fact]
    public async Task Turning_auth_on_cancels_the_watches_of_callers_without_credentials()
    {
        await using var node = await MemberNode.StartAsync(MemberKind.ActorStore);
        using var channel = GrpcChannel.ForAddress(node.ClientUrl);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = new Etcdserverpb.Watch.WatchClient(channel).Watch(cancellationToken: timeout.Token);
        await call.RequestStream.WriteAsync(Create(0, "k"));
        var responses = call.ResponseStream;
        Assert.True(await responses.MoveNext(timeout.Token) && responses.Current is { Created: true, Canceled: false, WatchId: 0 });

        Assert.Equal(0, (await node.Etcdctl.RunAsync("role", "add", "root")).ExitCode);
        Assert.Equal(0, (await node.Etcdctl.RunAsync("user", "add", Root, "--interactive=false")).ExitCode);
        Assert.Equal(0, (await node.Etcdctl.RunAsync("user", "grant-role", "root", "root")).ExitCode);
        Assert.Equal(0, (await node.Etcdctl.RunAsync("auth", "enable")).ExitCode);

        Assert.True(await responses.MoveNext(timeout.Token));
        Assert.Equal(
            (0L, true, "rpc error: code = InvalidArgument desc = etcdserver: user name is empty"),
            (responses.Current.WatchId, responses.Current.Canceled, responses.Current.CancelReason));
    }

    private static WatchRequest Create(long id, string prefix) => new()
    {
        CreateRequest = new WatchCreateRequest
        {
            WatchId = id,
            Key = ByteString.CopyFromUtf8(prefix),
            RangeEnd = ByteString.CopyFromUtf8(prefix[..^1] + (char)(prefix[^1] + 1)),
        },
    };
}
