using ActorStore.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

public sealed class ConfigFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Yaml_file_sets_etcd_settings_by_their_yaml_keys()
    {
        var path = _directory.Write("etcd.yml", """
            name: m1
            data-dir: /data/m1
            listen-peer-urls: http://127.0.0.1:12380
            initial-advertise-peer-urls: http://127.0.0.1:12380
            listen-client-urls: http://127.0.0.1:12379,http://127.0.0.1:22379
            advertise-client-urls: http://127.0.0.1:12379
            initial-cluster: m1=http://127.0.0.1:12380,m2=http://127.0.0.1:22380
            initial-cluster-state: existing
            heartbeat-interval: 50
            election-timeout: 500
            max-txn-ops: 256
            quota-backend-bytes: 8589934592
            backend-batch-interval: 100000000
            pre-vote: yes
            log-outputs: [stderr]
            log-level: debug
            peer-transport-security:
              auto-tls: true
              client-cert-auth: true
            proxy: "off"
            """);

        var loaded = Loaded(Load("--config-file", path));
        var config = loaded.Config;

        Assert.Equal("m1", config.Name);
        Assert.Equal("/data/m1", config.DataDir);
        Assert.Equal(["http://127.0.0.1:12379", "http://127.0.0.1:22379"], Urls(config.ListenClientUrls));
        Assert.Equal(["m1", "m2"], config.InitialClusterMembers.Select(static m => m.Name));
        Assert.Equal(ClusterState.Existing, config.InitialClusterState);
        Assert.Equal(50, config.HeartbeatIntervalMs);
        Assert.Equal(500, config.ElectionTimeoutMs);
        Assert.Equal(256, config.MaxTxnOps);
        Assert.Equal(8_589_934_592, config.QuotaBackendBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.BackendBatchInterval);
        Assert.True(config.PreVote);
        Assert.Equal(["stderr"], config.LogOutputs);
        Assert.Equal("debug", config.LogLevel);
        Assert.Equal(new TransportSecurity { AutoTls = true, ClientCertAuth = true }, config.PeerSecurity);
        Assert.Equal(ProxyMode.Off, config.Proxy);
        Assert.Equal(path, config.ConfigFile);
        Assert.Equal(["backend-batch-interval", "pre-vote"],
            loaded.FlagsWithoutEffectYet);
    }

    [Fact]
    public void Yaml_file_makes_etcd_ignore_other_flags_and_variables()
    {
        var path = _directory.Write("etcd.yaml", "name: from-file\n");

        var loaded = Loaded(Load(Environment(("ETCD_SNAPSHOT_COUNT", "5"), ("ACTORSTORE_PERSISTENCE_JOURNAL_PLUGIN", "postgresql")),
            "--config-file", path, "--name", "from-flag"));

        Assert.Equal("from-file", loaded.Config.Name);
        Assert.Equal(100_000, loaded.Config.SnapshotCount);
        Assert.Equal("postgresql", loaded.Config.JournalPlugin);
        var notice = Assert.Single(loaded.Notices, n => n.Level == LogLevel.Information && n.Message.StartsWith("loaded server configuration", StringComparison.Ordinal));
        Assert.Equal("loaded server configuration, other configuration command line flags and environment variables will be ignored if provided", notice.Message);
        Assert.Equal(path, notice.Fields.Single(f => f.Key == "path").Value);
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message.StartsWith("command-line flags ignored", StringComparison.Ordinal));
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message.StartsWith("environment variables ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Config_file_can_come_from_the_environment()
    {
        var path = _directory.Write("etcd.yaml", "name: via-env\n");

        Assert.Equal("via-env", Loaded(Load(Environment(("ETCD_CONFIG_FILE", path)))).Config.Name);
    }

    [Fact]
    public void Yaml_file_with_only_a_name_derives_cluster_and_data_dir()
    {
        var path = _directory.Write("etcd.yaml", "name: solo\n# nothing else\n");

        var config = Loaded(Load("--config-file", path)).Config;

        Assert.Equal("solo=http://localhost:2380", config.InitialCluster);
        Assert.Equal("solo.etcd", config.DataDir);
    }

    [Fact]
    public void Unknown_yaml_keys_are_ignored_with_a_warning()
    {
        var path = _directory.Write("etcd.yaml", "name: x\nno-such-key: 1\n");

        var loaded = Loaded(Load("--config-file", path));

        Assert.Contains(loaded.Notices, n => n.Message == "unknown keys in configuration file are ignored");
    }

    [Theory]
    [InlineData("max-txn-ops: abc\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field configYAML.max-txn-ops of type uint")]
    [InlineData("max-txn-ops: -5\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number -5 into Go struct field configYAML.max-txn-ops of type uint")]
    [InlineData("pre-vote: maybe\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field configYAML.pre-vote of type bool")]
    [InlineData("log-outputs: stderr\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field configYAML.log-outputs of type []string")]
    [InlineData("proxy-dial-timeout: soon\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field configProxy.proxy-dial-timeout of type uint")]
    [InlineData("heartbeat-interval: 100\nelection-timeout: 200\n", "--election-timeout[200ms] should be at least as 5 times as --heartbeat-interval[100ms]")]
    [InlineData("initial-cluster-state: weird\n", "unexpected clusterState \"weird\"")]
    [InlineData("listen-client-urls: ftp://127.0.0.1:2\n", "unexpected error setting up listen-client-urls: URL scheme must be http, https, unix, or unixs: ftp://127.0.0.1:2")]
    [InlineData("proxy: sideways\n", "unexpected error setting up proxyFlag: invalid value")]
    [InlineData("proxy: off\n", "unexpected error setting up proxyFlag: invalid value")]
    [InlineData("name: b\ninitial-cluster: a=http://localhost:2380\n", "couldn't find local name \"b\" in the initial cluster configuration")]
    [InlineData("- just\n- a list\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type embed.configYAML")]
    public void Bad_yaml_settings_fail_like_etcd(string yaml, string message)
    {
        var path = _directory.Write("bad.yaml", yaml);

        var failed = Failed(Load("--config-file", path));

        Assert.Equal(message, failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Yaml_syntax_errors_name_the_line()
    {
        var path = _directory.Write("bad.yaml", "name: a\n  bad: [\n");

        var failed = Failed(Load("--config-file", path));

        Assert.StartsWith("error converting YAML to JSON: yaml: line 2", failed.Message);
    }

    [Fact]
    public void A_missing_config_file_is_reported_like_etcd()
    {
        var path = Path.Combine(_directory.Path, "nope.yaml");

        var failed = Failed(Load("--config-file", path));

        Assert.Equal($"open {path}: no such file or directory", failed.Message);
    }

    [Theory]
    [InlineData("etcd.conf")]
    [InlineData("etcd.yml")]
    [InlineData("node.config")]
    public void Any_name_but_hocon_is_read_as_etcd_yaml(string fileName)
    {
        // etcd users name their YAML etcd.conf; it must not be taken for HOCON.
        var path = _directory.Write(fileName, "name: m1\nlisten-peer-urls: http://127.0.0.1:12380\ninitial-advertise-peer-urls: http://127.0.0.1:12380\n");

        var loaded = Loaded(Load("--config-file", path));

        Assert.Equal("m1", loaded.Config.Name);
        Assert.Equal("m1=http://127.0.0.1:12380", loaded.Config.InitialCluster);
        Assert.Equal("sqlite", loaded.Hocon.GetString("actorstore.persistence.journal.plugin"));
    }
}
