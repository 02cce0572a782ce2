using System.Text;
using System.Text.Json;
using ActorStore.EndToEnd.Infrastructure;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.EndToEnd.Auth;

/// <summary>
/// --auth-token jwt against etcd 3.4.23 with the same keys: etcdctl answers alike, each server takes the other's
/// tokens (same claims, same key), and a token issued before an auth change is refused for writes as old.
/// </summary>
public sealed class JwtRs256DifferentialTests(Rs256PairFixture pair) : IClassFixture<Rs256PairFixture>
{
    [Fact]
    public Task Rs256_tokens_work_across_both_servers_and_grow_old_with_auth_changes() => JwtWalkThrough.RunAsync(pair);
}

public sealed class JwtEs256DifferentialTests(Es256PairFixture pair) : IClassFixture<Es256PairFixture>
{
    [Fact]
    public Task Es256_tokens_work_across_both_servers_and_grow_old_with_auth_changes() => JwtWalkThrough.RunAsync(pair);
}

internal static class JwtWalkThrough
{
    public static async Task RunAsync(PairFixture pair)
    {
        Task<CommandResult> Same(params string[] args) => Differential.SameAsync(pair, args);
        await Same("role", "add", "root");
        await Same("user", "add", "root:rootpw", "--interactive=false");
        await Same("user", "grant-role", "root", "root");
        await Same("auth", "enable");
        await Same("put", "j/k", "v");
        await Same("--user", "root:rootpw", "put", "j/k", "v");
        await Same("--user", "root:rootpw", "get", "j/k");
        await Same("--user", "root:wrong", "get", "j/k");

        using var etcd = GrpcChannel.ForAddress(pair.Etcd.ClientUrl);
        using var ours = GrpcChannel.ForAddress(pair.ActorStore.ClientUrl);
        var etcdToken = await TokenAsync(etcd);
        var ourToken = await TokenAsync(ours);
        var claims = JsonDocument.Parse(Base64Url(ourToken.Split('.')[1])).RootElement;
        Assert.Equal("root", claims.GetProperty("username").GetString());
        Assert.True(claims.GetProperty("revision").GetInt64() > 0);
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));

        // The same key signs on both: each server takes the other's token.
        Assert.Equal("count=1", await RangeAsync(ours, etcdToken));
        Assert.Equal("count=1", await RangeAsync(etcd, ourToken));
        Assert.Equal(await OutcomeAsync(PutAsync(etcd, "forged." + etcdToken)), await OutcomeAsync(PutAsync(ours, "forged." + ourToken)));

        // A JWT carries the auth revision it was issued at: after an auth change, writes refuse it as old.
        await Same("--user", "root:rootpw", "role", "add", "later");
        var etcdStale = await OutcomeAsync(PutAsync(etcd, etcdToken));
        var ourStale = await OutcomeAsync(PutAsync(ours, ourToken));
        Assert.Equal(etcdStale, ourStale);
        Assert.Equal("InvalidArgument: etcdserver: revision of auth store is old", ourStale);

        await Same("--user", "root:rootpw", "auth", "disable");
    }

    private static async Task<string> TokenAsync(GrpcChannel channel) =>
        (await new Etcdserverpb.Auth.AuthClient(channel).AuthenticateAsync(new AuthenticateRequest { Name = "root", Password = "rootpw" })).Token;

    private static async Task<string> RangeAsync(GrpcChannel channel, string token) =>
        $"count={(await new KV.KVClient(channel).RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("j/k") }, new Grpc.Core.Metadata { { "token", token } })).Count}";

    private static async Task<string> PutAsync(GrpcChannel channel, string token)
    {
        await new KV.KVClient(channel).PutAsync(
            new PutRequest { Key = ByteString.CopyFromUtf8("j/k"), Value = ByteString.CopyFromUtf8("w") }, new Grpc.Core.Metadata { { "token", token } });
        return "ok";
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

    private static string Base64Url(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }
}
