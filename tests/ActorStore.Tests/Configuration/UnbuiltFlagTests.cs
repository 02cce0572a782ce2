using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

/// <summary>Settings not built yet that would change security or how the cluster forms refuse to start.</summary>
public sealed class UnbuiltFlagTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("discovery", "how the cluster forms", "--discovery", "https://discovery.example/abc")]
    [InlineData("proxy", "how the cluster forms", "--proxy", "on")]
    [InlineData("proxy", "how the cluster forms", "--proxy", "readonly")]
    [InlineData("cors", "security", "--cors", "https://app.example:443")]
    [InlineData("host-whitelist", "security", "--host-whitelist", "a.example")]
    public void Flags_that_change_security_or_clustering_refuse_to_start(string flag, string what, params string[] args)
    {
        var failed = Failed(Load(args));

        Assert.Equal($"--{flag} (given on the command line) is not supported by ActorStore yet; it changes {what}, so the member refuses to start rather than run without it", failed.Message);
        Assert.Equal(1, failed.ExitCode);
        Assert.False(failed.ShowUsage);
    }

    [Fact]
    public void Three_members_given_discovery_do_not_each_form_a_cluster_of_one()
    {
        foreach (var name in (string[])["m1", "m2", "m3"])
        {
            var failed = Failed(Load("--name", name, "--discovery", "https://discovery.example/abc",
                "--initial-advertise-peer-urls", $"http://127.0.0.1:2{name[1]}380", "--listen-peer-urls", $"http://127.0.0.1:2{name[1]}380"));

            Assert.StartsWith("--discovery (given on the command line) is not supported by ActorStore yet", failed.Message);
        }
    }

    [Fact]
    public void Etcd_and_actorstore_variables_and_both_config_files_are_refused_too()
    {
        var byEtcd = Failed(Load(Environment(("ETCD_DISCOVERY", "https://discovery.example/abc"))));
        var byOwn = Failed(Load(Environment(("ACTORSTORE_CLUSTER_DISCOVERY", "https://discovery.example/abc"))));
        var byYaml = Failed(Load("--config-file", _directory.Write("etcd.conf", "discovery: https://discovery.example/abc\n")));
        var byHocon = Failed(Load("--config-file", _directory.Write("node.hocon", "actorstore.proxy.mode = on\n")));
        var byYamlCors = Failed(Load("--config-file", _directory.Write("cors.yaml", "cors: https://app.example:443\n")));

        Assert.StartsWith("--discovery (set by ETCD_DISCOVERY or ACTORSTORE_CLUSTER_DISCOVERY) is not supported", byEtcd.Message);
        Assert.StartsWith("--discovery (set by ETCD_DISCOVERY or ACTORSTORE_CLUSTER_DISCOVERY) is not supported", byOwn.Message);
        Assert.StartsWith("--discovery (set in the configuration file) is not supported", byYaml.Message);
        Assert.StartsWith("--proxy (set in the configuration file) is not supported", byHocon.Message);
        Assert.StartsWith("--cors (set in the configuration file) is not supported", byYamlCors.Message);
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
        var loaded = Loaded(Load("--enable-v2", "--enable-pprof"));

        Assert.Equal(["enable-v2", "enable-pprof"], loaded.FlagsWithoutEffectYet);
    }
}
