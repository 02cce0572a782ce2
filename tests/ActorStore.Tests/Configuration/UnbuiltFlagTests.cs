using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

/// <summary>Settings not built that would change security or how the cluster forms refuse to start (today: the v2 proxy).</summary>
public sealed class UnbuiltFlagTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("on")]
    [InlineData("readonly")]
    public void The_v2_proxy_is_refused_as_not_part_of_actorstore(string mode)
    {
        var failed = Failed(Load("--proxy", mode));

        Assert.Equal(
            "--proxy (given on the command line) is not supported by ActorStore: etcd's v2 proxy, deprecated in etcd 3.4, is not part of it (point clients at the members' client URLs; etcd's clients balance across them); it changes how the cluster forms, so the member refuses to start rather than run without it",
            failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Etcd_and_actorstore_variables_and_both_config_files_are_refused_too()
    {
        var byEtcd = Failed(Load(Environment(("ETCD_PROXY", "on"))));
        var byOwn = Failed(Load(Environment(("ACTORSTORE_PROXY_MODE", "on"))));
        var byYaml = Failed(Load("--config-file", _directory.Write("etcd.conf", "proxy: readonly\n")));
        var byHocon = Failed(Load("--config-file", _directory.Write("node.hocon", "actorstore.proxy.mode = on\n")));

        Assert.StartsWith("--proxy (set by ETCD_PROXY or ACTORSTORE_PROXY_MODE) is not supported by ActorStore: etcd's v2 proxy", byEtcd.Message);
        Assert.StartsWith("--proxy (set by ETCD_PROXY or ACTORSTORE_PROXY_MODE) is not supported by ActorStore: etcd's v2 proxy", byOwn.Message);
        Assert.StartsWith("--proxy (set in the configuration file) is not supported by ActorStore: etcd's v2 proxy", byYaml.Message);
        Assert.StartsWith("--proxy (set in the configuration file) is not supported by ActorStore: etcd's v2 proxy", byHocon.Message);
    }

    [Theory]
    [InlineData("--proxy=off")]
    [InlineData("--host-whitelist=*")]
    [InlineData("--cors=*")]
    [InlineData("--discovery=")]
    public void Giving_the_default_value_is_not_refused(string arg)
    {
        Assert.Empty(Loaded(Load(arg)).FlagsWithoutEffectYet);
    }

    [Fact]
    public void Flags_that_change_neither_still_only_warn()
    {
        var loaded = Loaded(Load("--pre-vote", "--enable-pprof"));

        Assert.Equal(["pre-vote", "enable-pprof"], loaded.FlagsWithoutEffectYet);
    }
}
