using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

/// <summary>A --config-file whose name ends in .hocon, read by Akka's HOCON over reference.conf.</summary>
public sealed class HoconFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private ConfigLoadResultShortcut LoadHocon(string text, params string[] args) =>
        new(Load(["--config-file", _directory.Write("node.hocon", text), .. args]));

    [Fact]
    public void Hocon_file_layers_between_reference_and_environment_and_flags()
    {
        var path = _directory.Write("node.hocon", """
            actorstore {
              member {
                name = n1
                listen-client-urls = ["http://127.0.0.1:12379"]
                advertise-client-urls = "http://127.0.0.1:12379"
                initial-advertise-peer-urls = ["http://127.0.0.1:12380"]
                listen-peer-urls = ["http://127.0.0.1:12380"]
              }
              raft {
                heartbeat-interval = 50ms
                election-timeout = 1 s
                snapshot-count = 20
              }
              limits {
                max-request-bytes = 2MiB
                max-txn-ops = 32
              }
              persistence.journal.plugin = postgresql
              auth.token-ttl = 10m
            }
            """);

        var config = Loaded(Load(Environment(("ETCD_MAX_TXN_OPS", "64")), "--config-file", path, "--snapshot-count=10")).Config;

        Assert.Equal("n1", config.Name);
        Assert.Equal("n1=http://127.0.0.1:12380", config.InitialCluster);
        Assert.Equal(["http://127.0.0.1:12379"], Urls(config.AdvertiseClientUrls));
        Assert.Equal(50, config.HeartbeatIntervalMs);
        Assert.Equal(1000, config.ElectionTimeoutMs);
        Assert.Equal(2 * 1024 * 1024, config.MaxRequestBytes);
        Assert.Equal(64, config.MaxTxnOps);
        Assert.Equal(10, config.SnapshotCount);
        Assert.Equal("postgresql", config.JournalPlugin);
        Assert.Equal(600, config.AuthTokenTtlSeconds);
    }

    [Fact]
    public void A_file_overrides_one_setting_and_keeps_the_reference_for_its_neighbours()
    {
        var loaded = LoadHocon("actorstore.raft.election-timeout = 2s\nactorstore.raft { pre-vote = yes }\n").Loaded;

        Assert.Equal(2000, loaded.Config.ElectionTimeoutMs);
        Assert.Equal(100, loaded.Config.HeartbeatIntervalMs);
        Assert.True(loaded.Config.PreVote);
        Assert.Equal(100_000, loaded.Config.SnapshotCount);
    }

    [Fact]
    public void Substitutions_see_the_file_and_the_reference()
    {
        var loaded = LoadHocon("""
            ports { client = 12379 }
            actorstore.member {
              listen-client-urls = "http://127.0.0.1:"${ports.client}
              advertise-client-urls = ${actorstore.member.listen-client-urls}
              data-dir = "/var/lib/"${actorstore.cluster.initial-cluster-token}
            }
            """).Loaded;

        Assert.Equal(["http://127.0.0.1:12379"], Urls(loaded.Config.ListenClientUrls));
        Assert.Equal(["http://127.0.0.1:12379"], Urls(loaded.Config.AdvertiseClientUrls));
        Assert.Equal("/var/lib/etcd-cluster", loaded.Config.DataDir);
    }

    [Fact]
    public void Environment_substitutions_are_refused_because_akka_cannot_resolve_them()
    {
        var failed = LoadHocon("actorstore.member.name = default-name\nactorstore.member.name = ${?NODE_NAME}\n").Failed;

        Assert.Contains("node.hocon", failed.Message);
        Assert.Contains("${?NAME}", failed.Message);
        Assert.Contains("ACTORSTORE_", failed.Message);
    }

    [Fact]
    public void A_substitution_of_something_that_is_not_set_names_it()
    {
        var failed = LoadHocon("actorstore.member.name = ${NODE_NAME}\n").Failed;

        Assert.Contains("node.hocon", failed.Message);
        Assert.Contains("${NODE_NAME}", failed.Message);
    }

    [Theory]
    [InlineData("actorstore.member.data-dir = \"/data\"\nactorstore.member.data-dir = ${actorstore.member.data-dir}\"/m1\"\n")]
    [InlineData("a = ${b}\nb = ${a}\nactorstore.member.name = ${a}\n")]
    public void Self_references_and_cycles_are_refused_instead_of_crashing(string text)
    {
        var failed = LoadHocon(text).Failed;

        Assert.Contains("node.hocon", failed.Message);
        Assert.Contains("refers back to itself", failed.Message);
    }

    [Fact]
    public void Settings_from_the_file_and_from_actorstore_variables_are_in_the_merged_hocon()
    {
        var path = _directory.Write("node.hocon", "akka.loglevel = DEBUG\nactorstore.member.name = n1\n");

        var loaded = Loaded(Load(Environment(("ACTORSTORE_PERSISTENCE_JOURNAL_PLUGIN", "postgresql")), "--config-file", path, "--name", "from-flag"));

        Assert.Equal("DEBUG", loaded.Hocon.GetString("akka.loglevel"));
        Assert.Equal("n1", loaded.Hocon.GetString("actorstore.member.name"));
        Assert.Equal("postgresql", loaded.Hocon.GetString("actorstore.persistence.journal.plugin"));
        Assert.Equal("etcd-cluster", loaded.Hocon.GetString("actorstore.cluster.initial-cluster-token"));
        Assert.Equal("from-flag", loaded.Config.Name);
    }

    [Theory]
    [InlineData("100ms", 100)]
    [InlineData("5 s", 5000)]
    [InlineData("2m", 120_000)]
    [InlineData("1 hour", 3_600_000)]
    [InlineData("250", 250)]
    [InlineData("1.5 seconds", 1500)]
    [InlineData("1m30s", 90_000)]
    public void Durations_take_units(string text, long milliseconds)
    {
        var config = LoadHocon($"actorstore.experimental.warning-apply-duration = {text}\n").Loaded.Config;

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), config.ExperimentalWarningApplyDuration);
    }

    [Theory]
    [InlineData("\"1s\"", 1000)]
    [InlineData("2500", 2500)]
    [InlineData("3 seconds", 3000)]
    public void Millisecond_settings_take_a_bare_number_or_a_duration(string text, int milliseconds)
    {
        Assert.Equal(milliseconds, LoadHocon($"actorstore.raft.election-timeout = {text}\n").Loaded.Config.ElectionTimeoutMs);
    }

    [Theory]
    [InlineData("64kB", 64_000)]
    [InlineData("64 K", 65_536)]
    [InlineData("2MiB", 2_097_152)]
    [InlineData("1572864", 1_572_864)]
    [InlineData("10 bytes", 10)]
    public void Sizes_take_units(string text, long bytes)
    {
        Assert.Equal(bytes, LoadHocon($"actorstore.limits.max-request-bytes = {text}\n").Loaded.Config.MaxRequestBytes);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("true", true)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    public void Booleans_take_the_usual_words(string text, bool expected)
    {
        Assert.Equal(expected, LoadHocon($"actorstore.raft.pre-vote = {text}\n").Loaded.Config.PreVote);
    }

    [Fact]
    public void Url_lists_span_lines_and_comments_are_ignored()
    {
        var config = LoadHocon("""
            # a comment
            actorstore.member {
              listen-client-urls = [
                "http://127.0.0.1:12379", // trailing comment
                "http://127.0.0.1:22379",
              ]
              advertise-client-urls = "http://127.0.0.1:12379"
              name = "# not a comment"
            }
            """).Loaded.Config;

        Assert.Equal(["http://127.0.0.1:12379", "http://127.0.0.1:22379"], Urls(config.ListenClientUrls));
        Assert.Equal("# not a comment", config.Name);
    }

    [Fact]
    public void Include_reads_a_file_next_to_the_including_one()
    {
        _directory.Write("base.hocon", "actorstore.raft { snapshot-count = 7, pre-vote = true }\n");

        var config = LoadHocon("include \"base.hocon\"\nactorstore.raft.snapshot-count = 8\ninclude \"missing.hocon\"\n").Loaded.Config;

        Assert.Equal(8, config.SnapshotCount);
        Assert.True(config.PreVote);
    }

    [Fact]
    public void Hocon_file_settings_count_as_given()
    {
        var path = _directory.Write("node.hocon", "actorstore.member.listen-client-urls = \"http://127.0.0.1:12379\"\nactorstore.monitoring.enable-pprof = true\n");

        var failed = Failed(Load("--config-file", path));
        var loaded = Loaded(Load("--config-file", path, "--advertise-client-urls", "http://127.0.0.1:12379"));

        Assert.Equal("--advertise-client-urls is required when --listen-client-urls is set explicitly", failed.Message);
        Assert.Equal(["enable-pprof"], loaded.FlagsWithoutEffectYet);
    }

    [Fact]
    public void A_setting_given_its_default_value_still_counts_as_given()
    {
        var failed = LoadHocon("actorstore.member.listen-client-urls = [\"http://localhost:2379\"]\n").Failed;

        Assert.Equal("--advertise-client-urls is required when --listen-client-urls is set explicitly", failed.Message);
    }

    [Theory]
    [InlineData("actorstore {\n  member.name = \"unterminated\n}\n", "2:30", "quoted string")]
    [InlineData("actorstore {\n  member.name = n1\n", "3:1", "expected '}'")]
    [InlineData("actorstore.member.name = n1 }\n", "1:29", "unbalanced '}'")]
    [InlineData("actorstore.member.name = ${a\n", "1:26", "substitution")]
    [InlineData("actorstore.member.name = n1\nactorstore.raft.pre-vote = @x\n", "2:28", "unknown token")]
    public void Hocon_syntax_errors_name_file_line_and_column(string text, string position, string reason)
    {
        var path = _directory.Write("node.hocon", text);

        var failed = Failed(Load("--config-file", path));

        Assert.Equal($"{path}:{position}: ", failed.Message[..(path.Length + position.Length + 3)]);
        Assert.Contains(reason, failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void A_yaml_file_named_hocon_is_refused_as_hocon()
    {
        var failed = LoadHocon("name: m1\nlisten-peer-urls: http://127.0.0.1:12380\n").Failed;

        Assert.StartsWith(Path.Combine(_directory.Path, "node.hocon") + ": ", failed.Message);
    }

    [Theory]
    [InlineData("actorstore.raft.heartbeat-interval = soon\n", "actorstore.raft.heartbeat-interval")]
    [InlineData("actorstore.raft.pre-vote = maybe\n", "actorstore.raft.pre-vote")]
    [InlineData("actorstore.limits.max-txn-ops = many\n", "actorstore.limits.max-txn-ops")]
    [InlineData("actorstore.limits.max-request-bytes = lots\n", "actorstore.limits.max-request-bytes")]
    [InlineData("actorstore.member.name { x = 1 }\n", "actorstore.member.name")]
    [InlineData("actorstore.member.name = [a, b]\n", "actorstore.member.name")]
    [InlineData("actorstore.member.name = null\n", "actorstore.member.name")]
    [InlineData("actorstore.cluster.initial-cluster-state = sideways\n", "actorstore.cluster.initial-cluster-state")]
    [InlineData("actorstore.member.listen-client-urls = \"ftp://x:1\"\n", "actorstore.member.listen-client-urls")]
    public void Hocon_type_errors_name_the_setting_and_the_file(string text, string setting)
    {
        var path = _directory.Write("node.hocon", text);

        var failed = Failed(Load("--config-file", path));

        Assert.StartsWith("invalid value ", failed.Message);
        Assert.Contains($" for {setting} in {path}: ", failed.Message);
    }

    /// <summary>The outcome of loading, unwrapped on demand.</summary>
    private sealed class ConfigLoadResultShortcut(ActorStore.Configuration.ConfigLoadResult result)
    {
        public ActorStore.Configuration.ConfigLoaded Loaded => ConfigTestKit.Loaded(result);

        public ActorStore.Configuration.ConfigLoadFailed Failed => ConfigTestKit.Failed(result);
    }
}
