using ActorStore.Configuration;
using Xunit;

namespace ActorStore.Tests.Configuration;

/// <summary>A member that already holds data ignores the initial cluster flags, as etcd's does.</summary>
public sealed class InitializedMemberTests
{
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    private static readonly string[] Args = ["--name", "b", "--initial-cluster", "a=http://localhost:2380"];

    [Fact]
    public void A_fresh_member_is_refused_when_its_name_is_not_in_the_initial_cluster()
    {
        var result = ConfigLoader.Load(Args, NoEnvironment, memberInitialized: _ => false);
        var failed = Assert.IsType<ConfigLoadFailed>(result);
        Assert.Equal("couldn't find local name \"b\" in the initial cluster configuration", failed.Message);
    }

    [Fact]
    public void A_member_with_data_starts_whatever_the_initial_cluster_says()
    {
        string? asked = null;
        var result = ConfigLoader.Load(Args, NoEnvironment, memberInitialized: dir => { asked = dir; return true; });
        var loaded = Assert.IsType<ConfigLoaded>(result);
        Assert.Empty(loaded.Config.InitialClusterMembers);
        Assert.Equal("b.etcd", asked);
    }
}
