using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.EndToEnd.Auth;

/// <summary>
/// A simple token on a three-member cluster, on etcd 3.4.23 and on ActorStore alike: Authenticate goes through the
/// log, so a token issued by one member works on the others, and a password change ends it on all of them.
/// </summary>
public sealed class ClusterTokenTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_token_from_one_member_works_on_the_others_until_the_password_changes(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind);
        var members = cluster.Members;
        var admin = members[0].Etcdctl;
        foreach (var command in new[]
        {
            new[] { "role", "add", "root" }, ["user", "add", "root:rootpw", "--interactive=false"], ["user", "grant-role", "root", "root"],
            ["role", "add", "er"], ["role", "grant-permission", "er", "read", "e", "--prefix=true"],
            ["user", "add", "erin:erinpw", "--interactive=false"], ["user", "grant-role", "erin", "er"], ["auth", "enable"],
        })
        {
            CommandResult.AssertOk(await admin.RunAsync(command));
        }

        using var second = GrpcChannel.ForAddress(members[1].ClientUrl);
        using var third = GrpcChannel.ForAddress(members[2].ClientUrl);
        var token = (await new Etcdserverpb.Auth.AuthClient(second).AuthenticateAsync(new AuthenticateRequest { Name = "erin", Password = "erinpw" })).Token;
        Assert.Equal("ok", await RangeAsync(third, token));
        Assert.Equal("ok", await RangeAsync(second, token));

        CommandResult.AssertOk(await admin.RunWithInputAsync("newpw\n", "--user", "root:rootpw", "user", "passwd", "erin", "--interactive=false"));
        var refused = await Eventually.GetAsync(
            async () => await RangeAsync(third, token) is var outcome && outcome != "ok" ? outcome : null,
            TimeSpan.FromSeconds(10),
            () => "the old token to stop working on the third member");
        Assert.Equal("Unauthenticated: etcdserver: invalid auth token", refused);
    }

    private static async Task<string> RangeAsync(GrpcChannel channel, string token)
    {
        try
        {
            await new KV.KVClient(channel).RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("e1") }, new Grpc.Core.Metadata { { "token", token } });
            return "ok";
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode}: {e.Status.Detail}";
        }
    }
}
