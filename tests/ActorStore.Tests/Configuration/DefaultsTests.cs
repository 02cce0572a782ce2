using System.Collections;
using ActorStore.Configuration;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

public sealed class DefaultsTests
{
    [Fact]
    public void No_flags_give_etcd_3_4_defaults()
    {
        var loaded = Loaded(Load());
        var config = loaded.Config;

        // Values of etcd 3.4.23's embed.NewConfig and etcdmain flag defaults.
        Assert.Equal("default", config.Name);
        Assert.Equal("default.etcd", config.DataDir);
        Assert.Equal("", config.WalDir);
        Assert.Equal(100_000, config.SnapshotCount);
        Assert.Equal(5, config.MaxSnapshots);
        Assert.Equal(5, config.MaxWals);
        Assert.Equal(100, config.HeartbeatIntervalMs);
        Assert.Equal(1000, config.ElectionTimeoutMs);
        Assert.Equal(10, config.ElectionTicks);
        Assert.True(config.InitialElectionTickAdvance);
        Assert.Equal(["http://localhost:2380"], Urls(config.ListenPeerUrls));
        Assert.Equal(["http://localhost:2379"], Urls(config.ListenClientUrls));
        Assert.Equal(["http://localhost:2380"], Urls(config.InitialAdvertisePeerUrls));
        Assert.Equal(["http://localhost:2379"], Urls(config.AdvertiseClientUrls));
        Assert.Empty(config.ListenMetricsUrls);
        Assert.Equal("default=http://localhost:2380", config.InitialCluster);
        var member = Assert.Single(config.InitialClusterMembers);
        Assert.Equal("default", member.Name);
        Assert.Equal(["http://localhost:2380"], Urls(member.PeerUrls));
        Assert.Equal("etcd-cluster", config.InitialClusterToken);
        Assert.Equal(ClusterState.New, config.InitialClusterState);
        Assert.Equal(1_572_864, config.MaxRequestBytes);
        Assert.Equal(128, config.MaxTxnOps);
        Assert.Equal(uint.MaxValue, config.MaxConcurrentStreams);
        Assert.Equal(0, config.QuotaBackendBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), config.GrpcKeepAliveMinTime);
        Assert.Equal(TimeSpan.FromHours(2), config.GrpcKeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), config.GrpcKeepAliveTimeout);
        Assert.True(config.StrictReconfigCheck);
        Assert.False(config.EnableV2);
        Assert.False(config.PreVote);
        Assert.Equal("0", config.AutoCompactionRetention);
        Assert.Equal(AutoCompactionMode.Periodic, config.AutoCompactionMode);
        Assert.Equal(ProxyMode.Off, config.Proxy);
        Assert.Equal(5000, config.ProxyFailureWaitMs);
        Assert.Equal(30_000, config.ProxyRefreshIntervalMs);
        Assert.Equal(1000, config.ProxyDialTimeoutMs);
        Assert.Equal(5000, config.ProxyWriteTimeoutMs);
        Assert.Equal(0, config.ProxyReadTimeoutMs);
        Assert.Equal(TransportSecurity.None, config.ClientSecurity);
        Assert.Equal(TransportSecurity.None, config.PeerSecurity);
        Assert.Equal(["*"], config.Cors);
        Assert.Equal(["*"], config.HostWhitelist);
        Assert.Equal("simple", config.AuthToken);
        Assert.Equal(10, config.BcryptCost);
        Assert.Equal(300, config.AuthTokenTtlSeconds);
        Assert.Equal("basic", config.Metrics);
        Assert.True(config.EnableGrpcGateway);
        Assert.Equal("capnslog", config.Logger);
        Assert.Equal(["default"], config.LogOutputs);
        Assert.Equal("info", config.LogLevel);
        Assert.Equal("array", config.ExperimentalBackendBboltFreelistType);
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.ExperimentalWarningApplyDuration);
        Assert.False(config.ForceNewCluster);
        Assert.Equal("sqlite", config.JournalPlugin);
        Assert.Null(config.ConfigFile);
        Assert.Empty(loaded.FlagsWithoutEffectYet);
    }

    [Fact]
    public void Loaded_defaults_equal_a_new_MemberConfig()
    {
        var loaded = Config();
        var fresh = new MemberConfig();

        foreach (var property in typeof(MemberConfig).GetProperties())
        {
            var expected = Normalize(property.GetValue(fresh));
            var actual = Normalize(property.GetValue(loaded));
            Assert.True(Equals(expected, actual), $"{property.Name}: reference.conf gives {actual}, MemberConfig says {expected}");
        }
    }

    [Fact]
    public void Empty_data_dir_is_named_after_the_member_with_a_warning()
    {
        var loaded = Loaded(Load("--name", "n1"));

        Assert.Equal("n1.etcd", loaded.Config.DataDir);
        var notice = Assert.Single(loaded.Notices, n => n.Message == "'data-dir' was empty; using default");
        Assert.Equal("n1.etcd", notice.Fields.Single(f => f.Key == "data-dir").Value);
    }

    [Fact]
    public void Changing_only_the_name_derives_the_initial_cluster()
    {
        var config = Config("--name", "n1", "--initial-advertise-peer-urls", "http://127.0.0.1:12380,http://127.0.0.1:12381");

        Assert.Equal("n1=http://127.0.0.1:12380,n1=http://127.0.0.1:12381", config.InitialCluster);
        var member = Assert.Single(config.InitialClusterMembers);
        Assert.Equal("n1", member.Name);
        Assert.Equal(["http://127.0.0.1:12380", "http://127.0.0.1:12381"], Urls(member.PeerUrls));
    }

    [Fact]
    public void Embedded_reference_conf_is_the_one_in_the_repository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "hocon", "reference.conf")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var inRepository = File.ReadAllText(Path.Combine(directory.FullName, "hocon", "reference.conf"));
        Assert.Equal(inRepository, ReferenceConfig.ReadText());
    }

    private static object? Normalize(object? value) => value switch
    {
        string text => text,
        IEnumerable<Uri> uris => string.Join(",", uris.Select(static u => u.OriginalString)),
        IEnumerable<InitialClusterMember> members => string.Join(",", members.Select(static m => m.Name + "=" + string.Join("|", m.PeerUrls.Select(static u => u.OriginalString)))),
        IEnumerable items => string.Join(",", items.Cast<object>()),
        _ => value,
    };
}
