using ActorStore.Gateway.Etcd;
using Xunit;

namespace ActorStore.Gateway.Tests.Etcd;

public sealed class EtcdAccessControlTests
{
    [Theory]
    [InlineData("a.example:2379", "a.example")]
    [InlineData("a.example:", "a.example")]
    [InlineData("a.example", "a.example")]
    [InlineData("[::1]:2379", "::1")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("::1", "::1")]
    [InlineData("a:b:c", "a:b:c")]
    [InlineData("", "")]
    public void The_host_name_is_the_host_without_its_port_as_go_splits_it(string host, string expected)
    {
        Assert.Equal(expected, EtcdAccessControl.HostnameOf(host));
    }

    [Fact]
    public void The_refusal_names_the_host_quoted_as_go_quotes_it()
    {
        Assert.Contains("  - e.g. etcd --host-whitelist \"evil\\\"host\"\n", EtcdAccessControl.DnsRebindingRefusal("evil\"host"), StringComparison.Ordinal);
    }
}
