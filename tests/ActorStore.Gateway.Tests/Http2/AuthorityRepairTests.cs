using System.Text;
using ActorStore.Gateway.Http2;
using Xunit;

namespace ActorStore.Gateway.Tests.Http2;

public sealed class AuthorityRepairTests
{
    [Theory]
    [InlineData("http://127.0.0.1:2379", "127.0.0.1:2379")]
    [InlineData("https://10.0.0.1:2379", "10.0.0.1:2379")]
    [InlineData("HTTP://localhost:2379", "localhost:2379")]
    [InlineData("http://localhost", "localhost")]
    [InlineData("http://[::1]:2379", "[::1]:2379")]
    [InlineData("http://127.0.0.1:2379/", "127.0.0.1:2379")]
    [InlineData("http://127.0.0.1:2379/v3/kv/range", "127.0.0.1:2379")]
    [InlineData("127.0.0.1:2379/", "127.0.0.1:2379")]
    [InlineData("etcd-0.etcd.svc:2379/x", "etcd-0.etcd.svc:2379")]
    public void Finds_the_authority_inside_a_url(string value, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(value);

        Assert.True(AuthorityRepair.TryFindRepairedRange(bytes, out var range));
        Assert.Equal(expected, Encoding.ASCII.GetString(bytes[range]));
    }

    [Theory]
    [InlineData("127.0.0.1:2379")]
    [InlineData("localhost")]
    [InlineData("[::1]:2379")]
    [InlineData("")]
    [InlineData("unix:///tmp/etcd.sock")]
    [InlineData("unixs://localhost:2379")]
    [InlineData("unix:etcd.sock:0")]
    [InlineData("http:///path-only")]
    [InlineData("http://user@host:2379")]
    [InlineData("http://host:port")]
    [InlineData("http://host:123456")]
    [InlineData("http://[zz]:1")]
    [InlineData("1http://host:1")]
    [InlineData("/just/a/path")]
    public void Leaves_valid_or_unrecoverable_values_alone(string value)
    {
        Assert.False(AuthorityRepair.TryFindRepairedRange(Encoding.ASCII.GetBytes(value), out _));
    }
}
