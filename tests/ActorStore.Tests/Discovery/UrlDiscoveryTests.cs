using ActorStore.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ActorStore.Tests.Discovery;

public sealed class UrlDiscoveryTests
{
    private const string Directory = "/v2/keys/discovery/token1";

    [Fact]
    public async Task Members_wait_for_each_other_and_all_get_the_registrations_joined_in_creation_order()
    {
        var registry = new FakeRegistry();
        registry.Set(Directory + "/_config/size", "3");

        var joins = new[] { (0xaUL, "a=http://10.0.0.1:2380"), (0xbUL, "b=http://10.0.0.2:2380") }
            .Select(member => Discovery(registry, member.Item1).JoinClusterAsync(member.Item2, CancellationToken.None)).ToArray();
        await Task.Delay(50);
        Assert.All(joins, join => Assert.False(join.IsCompleted));

        var last = await Discovery(registry, 0xc).JoinClusterAsync("c=http://10.0.0.3:2380", CancellationToken.None);
        var all = await Task.WhenAll(joins);

        Assert.Equal("a=http://10.0.0.1:2380,b=http://10.0.0.2:2380,c=http://10.0.0.3:2380", last);
        Assert.All(all, cluster => Assert.Equal(last, cluster));
    }

    [Fact]
    public async Task A_member_beyond_the_size_finds_the_cluster_full_and_a_second_registration_of_an_id_is_a_duplicate()
    {
        var registry = new FakeRegistry();
        registry.Set(Directory + "/_config/size", "1");
        Assert.Equal("a=http://10.0.0.1:2380", await Discovery(registry, 0xa).JoinClusterAsync("a=http://10.0.0.1:2380", CancellationToken.None));

        var full = await Assert.ThrowsAsync<DiscoveryFailedException>(() => Discovery(registry, 0xb).JoinClusterAsync("b=http://10.0.0.2:2380", CancellationToken.None));
        Assert.Equal("discovery: cluster is full", full.Message);
        Assert.True(full.IsFullCluster);

        registry.Set(Directory + "/_config/size", "2");
        var duplicate = await Assert.ThrowsAsync<DiscoveryFailedException>(() => Discovery(registry, 0xa).JoinClusterAsync("a=http://10.0.0.1:2380", CancellationToken.None));
        Assert.Equal("discovery: found duplicate id", duplicate.Message);
    }

    [Theory]
    [InlineData(null, "discovery: size key not found")]
    [InlineData("three", "discovery: size key is bad")]
    public async Task A_missing_or_bad_size_key_fails_with_etcds_error(string? size, string error)
    {
        var registry = new FakeRegistry();
        if (size is not null)
        {
            registry.Set(Directory + "/_config/size", size);
        }

        var failed = await Assert.ThrowsAsync<DiscoveryFailedException>(() => Discovery(registry, 0xa).JoinClusterAsync("a=http://10.0.0.1:2380", CancellationToken.None));

        Assert.Equal(error, failed.Message);
    }

    [Fact]
    public async Task Two_registrations_with_one_name_fail_as_a_duplicate_name()
    {
        var registry = new FakeRegistry();
        registry.Set(Directory + "/_config/size", "2");
        registry.Set(Directory + "/1", "a=http://10.0.0.9:2380");

        var failed = await Assert.ThrowsAsync<DiscoveryFailedException>(() => Discovery(registry, 0xa).JoinClusterAsync("a=http://10.0.0.1:2380", CancellationToken.None));

        Assert.Equal("discovery: found duplicate name", failed.Message);
    }

    [Fact]
    public async Task An_unreachable_registry_is_retried_after_etcds_backoff()
    {
        var registry = new FakeRegistry { UnreachableCalls = 2 };
        registry.Set(Directory + "/_config/size", "1");
        var time = new FakeTimeProvider();

        var join = Discovery(registry, 0xa, time).JoinClusterAsync("a=http://10.0.0.1:2380", CancellationToken.None);
        await Task.Delay(50);
        Assert.False(join.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(50);
        Assert.False(join.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal("a=http://10.0.0.1:2380", await join.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static UrlDiscovery Discovery(FakeRegistry registry, ulong memberId, TimeProvider? time = null) =>
        new(registry, Directory, memberId, NullLogger.Instance, time ?? TimeProvider.System);
}
